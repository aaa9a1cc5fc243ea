package io.vigil.evaluate;

import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.replay.BackblazeReader;
import io.vigil.replay.DriveHistory;
import io.vigil.replay.SmartReadings;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drive-failure evaluation on Backblaze history: drives split into training and test by serial
 * ({@link DriveSplit}); the model trains only on training drives that never fail; every test drive
 * is windowed ({@link Windows#cut}, the stream's {@link Windower}), scored by the bundle's scorer and
 * alerted by the stream's {@link io.vigil.stream.AlertState}. Two simple baselines are judged on the
 * same drives, on the same days (days that end a scored window) and on all days: Backblaze's rule (raw
 * SMART 5, 187, 188, 197 or 198 above zero) and "sector count grew" (raw SMART 5 or 197 above a value
 * the drive reported earlier).
 */
public final class SmartEvaluation {

    /** Failed drives count as caught when flagged at least this many days before the failure day. */
    public static final int MIN_LEAD_DAYS = 1;

    /** The "sector count grew" baseline's columns: reallocated and pending sectors. */
    public static final List<String> GREW_COLUMNS = List.of("smart_5_raw", "smart_197_raw");

    /**
     * @param testShare share of drives (by serial hash) held out for testing
     * @param trainer   training settings when a model is trained here
     * @param selection judge the selection drives instead of the test drives: the training half's
     *                  failed drives (never trained on) and the healthy drives the trainer holds out
     *                  for validation. Variants are compared there, so the test half chooses nothing.
     */
    public record Settings(double testShare, Trainer.Settings trainer, boolean selection) {

        public Settings(double testShare, Trainer.Settings trainer) {
            this(testShare, trainer, false);
        }

        /** "selection" or "test": the drives judged, for reports. */
        public String judged() {
            return selection ? "selection" : "test";
        }
    }

    /** Progress lines for the console. */
    public interface Progress extends Consumer<String> {
    }

    /** One judged drive: its scored windows and the first alert of Vigil and of each baseline. */
    public record Drive(DriveHistory history, List<Window> windows, double[] scores, LocalDate vigilAlert,
                        LocalDate ruleAlertSameDays, LocalDate ruleAlertAllDays, LocalDate grewAlertSameDays,
                        LocalDate grewAlertAllDays) {
    }

    /** One threshold of the sweep. */
    public record SweepPoint(double threshold, DriveMetrics metrics) {
    }

    /** {@code testDrives}: the drives judged, test or selection ({@link Settings#judged}). */
    public record Result(Settings settings, String judged, ModelBundle bundle, int trainDrives, int testDrives, List<Drive> drives,
                         DriveMetrics vigil, DriveMetrics ruleSameDays, DriveMetrics ruleAllDays,
                         DriveMetrics grewSameDays, DriveMetrics grewAllDays, List<SweepPoint> sweep,
                         SweepPoint atRuleFalseAlarms, SweepPoint atGrewFalseAlarms, BackblazeReader.Report read) {
    }

    private final SensorKind kind;
    private final Settings settings;
    private final Progress progress;

    public SmartEvaluation(SensorKind kind, Settings settings, Progress progress) {
        this.kind = kind;
        this.settings = settings;
        this.progress = progress;
    }

    /** Reads {@code data}, trains when {@code bundle} is null, and evaluates on the test drives. */
    public Result run(Path data, ModelBundle bundle) {
        List<String> columns = SmartReadings.readerColumns(kind, BackblazeReader.BASELINE_COLUMNS);
        SmartReadings readings = new SmartReadings(kind, columns);
        BackblazeReader reader = new BackblazeReader(columns, p -> {
            if (p.days() % 10 == 0 || p.days() == p.totalDays()) {
                progress.accept(String.format(java.util.Locale.ROOT, "read %d/%d days, %,d rows", p.days(),
                        p.totalDays(), p.rows()));
            }
        });
        BackblazeReader.Histories histories = reader.readHistories(data);
        DriveSplit split = new DriveSplit(settings.testShare());
        List<DriveHistory> test = new ArrayList<>();
        List<DriveHistory> train = new ArrayList<>();
        List<DeviceSeries> healthyTrain = new ArrayList<>();
        for (DriveHistory h : histories.drives().values()) {
            if (split.isTest(h.serial())) {
                test.add(h);
            } else {
                train.add(h);
                if (!h.failed()) {
                    healthyTrain.add(readings.series(h));
                }
            }
        }
        List<DriveHistory> judged = settings.selection() ? selection(train, healthyTrain) : test;
        progress.accept(String.format(java.util.Locale.ROOT, "%d drives: %d healthy for training, %d for %s "
                + "(%d failed)", histories.drives().size(), healthyTrain.size(), judged.size(), settings.judged(),
                judged.stream().filter(DriveHistory::failed).count()));
        if (bundle == null) {
            bundle = new Trainer(kind, settings.trainer().withSplitByDevice(true), r -> progress.accept(
                    String.format(java.util.Locale.ROOT, "train epoch %d/%d: train %.4f, validation %.4f%s (%.1f s)",
                            r.epoch(), r.maxEpochs(), r.trainLoss(), r.validationLoss(), r.best() ? " *" : "",
                            r.took().toMillis() / 1000.0)))
                    .train(healthyTrain, List.of(data.toString()));
        }
        List<Drive> drives = score(judged, readings, bundle.scorer(), columns);
        return summarize(bundle, healthyTrain.size(), drives, histories.report(), columns);
    }

    /**
     * The training half's failed drives plus the healthy drives the trainer holds out for validation
     * (the same seed and share as {@code settings.trainer()}, so with {@code --model} the bundle must
     * have been trained with those settings).
     */
    private List<DriveHistory> selection(List<DriveHistory> train, List<DeviceSeries> healthyTrain) {
        java.util.Set<String> heldOut = Trainer.heldOutDevices(healthyTrain,
                settings.trainer().withSplitByDevice(true));
        return train.stream().filter(h -> h.failed() || heldOut.contains(h.serial())).toList();
    }

    private List<Drive> score(List<DriveHistory> test, SmartReadings readings, WindowScorer scorer,
                              List<String> columns) {
        Windower.Shape shape = Windower.Shape.of(kind);
        List<List<Window>> perDrive = new ArrayList<>();
        List<Window> all = new ArrayList<>();
        for (DriveHistory h : test) {
            List<Window> windows = Windows.cut(readings.series(h), shape);
            perDrive.add(windows);
            all.addAll(windows);
        }
        double[] scores = new double[all.size()];
        int chunk = 20_000;
        long started = System.nanoTime();
        for (int from = 0; from < all.size(); from += chunk) {
            List<WindowScore> part = scorer.score(all.subList(from, Math.min(all.size(), from + chunk)));
            for (int i = 0; i < part.size(); i++) {
                scores[from + i] = part.get(i).score();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            progress.accept(String.format(java.util.Locale.ROOT, "scored %,d/%,d windows (%.0f windows/s)",
                    from + part.size(), all.size(), (from + part.size()) / Math.max(seconds, 1e-9)));
        }
        List<Drive> drives = new ArrayList<>();
        int offset = 0;
        for (int d = 0; d < test.size(); d++) {
            DriveHistory h = test.get(d);
            List<Window> windows = perDrive.get(d);
            double[] own = Arrays.copyOfRange(scores, offset, offset + windows.size());
            offset += windows.size();
            java.util.Set<Integer> ends = windowEndDays(windows);
            drives.add(new Drive(h, windows, own, vigilAlert(h, windows, own, scorer.threshold()),
                    ruleAlert(h, columns, ends), ruleAlert(h, columns, null), grewAlert(h, columns, ends),
                    grewAlert(h, columns, null)));
        }
        return drives;
    }

    private LocalDate vigilAlert(DriveHistory h, List<Window> windows, double[] scores, double threshold) {
        Long end = AlertTimeline.firstRaised(h.serial(), kind.name(), windows, scores, threshold,
                kind.alert());
        return end == null ? null : LocalDate.ofEpochDay(Math.floorDiv(end, SmartReadings.DAY_MS));
    }

    private static java.util.Set<Integer> windowEndDays(List<Window> windows) {
        java.util.Set<Integer> days = new java.util.HashSet<>();
        for (Window w : windows) {
            days.add((int) Math.floorDiv(w.endMs(), SmartReadings.DAY_MS));
        }
        return days;
    }

    /** First day a baseline column is above zero; only {@code days} when given, else every day. */
    static LocalDate ruleAlert(DriveHistory h, List<String> columns, java.util.Set<Integer> days) {
        int[] rule = BackblazeReader.BASELINE_COLUMNS.stream().mapToInt(columns::indexOf).toArray();
        for (int r = 0; r < h.days(); r++) {
            if (days != null && !days.contains(h.epochDays()[r])) {
                continue;
            }
            for (int c : rule) {
                if (h.value(r, c) > 0) {   // NaN (not reported) compares false
                    return h.date(r);
                }
            }
        }
        return null;
    }

    /**
     * First day a {@link #GREW_COLUMNS} value is above the lowest value the drive reported for it on
     * an earlier day (a pending count may fall when sectors are remapped; growth from its low counts);
     * only {@code days} when given, else every day. Earlier days always count as history.
     */
    static LocalDate grewAlert(DriveHistory h, List<String> columns, java.util.Set<Integer> days) {
        int[] grew = GREW_COLUMNS.stream().mapToInt(columns::indexOf).toArray();
        double[] low = new double[grew.length];
        Arrays.fill(low, Double.NaN);
        for (int r = 0; r < h.days(); r++) {
            boolean judged = days == null || days.contains(h.epochDays()[r]);
            for (int i = 0; i < grew.length; i++) {
                double v = h.value(r, grew[i]);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (judged && v > low[i]) {   // NaN low (nothing earlier) compares false
                    return h.date(r);
                }
                low[i] = Double.isNaN(low[i]) ? v : Math.min(low[i], v);
            }
        }
        return null;
    }

    private Result summarize(ModelBundle bundle, int trainDrives, List<Drive> drives, BackblazeReader.Report read,
                             List<String> columns) {
        double threshold = bundle.metadata().threshold();
        DriveMetrics vigil = DriveMetrics.of(outcomes(drives, d -> d.vigilAlert()), MIN_LEAD_DAYS);
        DriveMetrics ruleSame = DriveMetrics.of(outcomes(drives, Drive::ruleAlertSameDays), MIN_LEAD_DAYS);
        DriveMetrics ruleAll = DriveMetrics.of(outcomes(drives, Drive::ruleAlertAllDays), MIN_LEAD_DAYS);
        DriveMetrics grewSame = DriveMetrics.of(outcomes(drives, Drive::grewAlertSameDays), MIN_LEAD_DAYS);
        DriveMetrics grewAll = DriveMetrics.of(outcomes(drives, Drive::grewAlertAllDays), MIN_LEAD_DAYS);
        List<SweepPoint> sweep = sweep(drives, threshold);
        return new Result(settings, settings.judged(), bundle, trainDrives, drives.size(), drives, vigil, ruleSame, ruleAll,
                grewSame, grewAll, sweep, mostCaughtWithin(sweep, ruleSame.falseAlarmShare()),
                mostCaughtWithin(sweep, grewSame.falseAlarmShare()), read);
    }

    /** The sweep point catching the most failed drives at no more than {@code share} healthy drives alerted. */
    static SweepPoint mostCaughtWithin(List<SweepPoint> sweep, double share) {
        SweepPoint best = null;
        for (SweepPoint p : sweep) {
            if (p.metrics().falseAlarmShare() <= share
                    && (best == null || p.metrics().caught() > best.metrics().caught())) {
                best = p;
            }
        }
        return best;
    }

    /** Drive metrics at thresholds spread over the quantiles of all test window scores. */
    private List<SweepPoint> sweep(List<Drive> drives, double calibrated) {
        double[] all = drives.stream().flatMapToDouble(d -> Arrays.stream(d.scores())).sorted().toArray();
        java.util.TreeSet<Double> thresholds = new java.util.TreeSet<>();
        thresholds.add(calibrated);
        for (int i = 0; i <= 60 && all.length > 0; i++) {
            double tail = Math.pow(10, -1 - 4.0 * i / 60);        // 1e-1 .. 1e-5 of windows above
            thresholds.add(all[(int) Math.min(all.length - 1, Math.floor((1 - tail) * all.length))]);
        }
        List<SweepPoint> points = new ArrayList<>();
        for (double t : thresholds) {
            List<DriveOutcome> outcomes = new ArrayList<>();
            for (Drive d : drives) {
                Long end = AlertTimeline.firstRaised(d.history().serial(), kind.name(), d.windows(), d.scores(), t,
                        kind.alert());
                outcomes.add(new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                        end == null ? null : LocalDate.ofEpochDay(Math.floorDiv(end, SmartReadings.DAY_MS))));
            }
            points.add(new SweepPoint(t, DriveMetrics.of(outcomes, MIN_LEAD_DAYS)));
        }
        return points;
    }

    static List<DriveOutcome> outcomes(List<Drive> drives, java.util.function.Function<Drive, LocalDate> alert) {
        return drives.stream().map(d -> new DriveOutcome(d.history().serial(), d.history().model(),
                d.history().failureDate(), alert.apply(d))).toList();
    }

    /**
     * Test drives per drive model: failed, caught by Vigil and by the rule, healthy, false alarms of
     * each, and healthy drives both alerted on.
     */
    public static Map<String, int[]> perModel(List<Drive> drives) {
        Map<String, int[]> rows = new java.util.TreeMap<>();
        for (Drive d : drives) {
            int[] row = rows.computeIfAbsent(d.history().model(), m -> new int[7]);
            DriveOutcome v = new DriveOutcome(d.history().serial(), "", d.history().failureDate(), d.vigilAlert());
            DriveOutcome r = new DriveOutcome(d.history().serial(), "", d.history().failureDate(),
                    d.ruleAlertSameDays());
            if (d.history().failed()) {
                row[0]++;
                row[1] += v.caught(MIN_LEAD_DAYS) ? 1 : 0;
                row[2] += r.caught(MIN_LEAD_DAYS) ? 1 : 0;
            } else {
                row[3]++;
                row[4] += v.alerted() ? 1 : 0;
                row[5] += r.alerted() ? 1 : 0;
                row[6] += v.alerted() && r.alerted() ? 1 : 0;
            }
        }
        return rows;
    }
}
