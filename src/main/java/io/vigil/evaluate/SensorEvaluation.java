package io.vigil.evaluate;

import io.vigil.config.ConfigException;
import io.vigil.model.DeviceCalibration;
import io.vigil.model.ModelBundle;
import io.vigil.model.ThresholdCalibration;
import io.vigil.model.Trainer;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.reading.HealthyRows;
import io.vigil.replay.RecordingReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.Calibrate;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Evaluation on labelled recordings (a label column, NAB's {@code labels.json}, or ADXL356 file
 * names). Windows come from the stream's {@link Windower}, scores from the bundle's scorer, alerts
 * from the stream's alert rule, and — when the topology declares {@code alert.calibrate} — each
 * recording's own normal from the stream's {@link DeviceCalibration}. Simple baselines
 * ({@link WindowBaseline}) are fitted on the same training windows and judged on the same test
 * windows, thresholded the same way.
 *
 * <p>What trains: the {@code trainData} recordings when given (their healthy rows); else, with
 * {@code alert.calibrate}, the warm-up part of every test recording (the part each protocol declares
 * normal: SKAB's first rows, NAB's probationary period); else the first {@value #TRAIN_SHARE} of each
 * healthy recording, whose rest is test data. A window's label is the label of its last sample.
 */
public final class SensorEvaluation {

    /** Share of each healthy recording (its beginning) used for training when nothing else trains. */
    public static final double TRAIN_SHARE = 0.6;
    /** Suffix of a baseline's row judged by its own score threshold while the others go through the likelihood. */
    public static final String WITHOUT_LIKELIHOOD = " (no likelihood)";
    /** Training windows the baselines are fitted on at most (a seeded random subset). */
    static final int MAX_BASELINE_WINDOWS = 20_000;

    /** One test recording as the model saw it. */
    public record Scored(String device, List<Window> windows, double[] scores, int[] labels, Long onsetMs,
                         Long firstAlertMs, Double[] thresholds) {
        /** Time from the first labelled sample to the first alert, ms on the recording's clock; null when not both. */
        public Long delayMs() {
            return onsetMs == null || firstAlertMs == null ? null : firstAlertMs - onsetMs;
        }
    }

    /** AUC of healthy test windows against one group of anomalous windows. */
    public record GroupAuc(String group, int windows, double auc, double recallAtThreshold) {
    }

    /** One detector on one part of the data; {@code modelRecallAtThisRate} is the model's recall at its false-alarm rate. */
    public record Row(String detector, PartMetrics metrics, double modelRecallAtThisRate) {
    }

    /** The rows of one part: {@code selection} (settings were chosen on it), {@code test}, or {@code all}. */
    public record Part(String name, List<String> devices, List<Row> rows) {
        public Row model() {
            return rows.get(0);
        }
    }

    /**
     * @param trainData recordings that only train (their healthy rows); empty for none
     * @param chooseOn  glob on device ids of the recordings settings were chosen on, or null
     * @param include   glob on device ids of the recordings to evaluate, e.g. {@code 1200_*} for one ADXL356 shaft
     *                  speed; null for every recording
     */
    public record Options(List<Path> data, List<Path> trainData, String chooseOn, String include) {

        public Options(List<Path> data, List<Path> trainData, String chooseOn) {
            this(data, trainData, chooseOn, null);
        }
    }

    public record Result(ModelBundle bundle, List<Scored> recordings, double auc, BinaryMetrics atThreshold,
                         List<GroupAuc> perGroup, List<Part> parts, String training) {

        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "AUC %.3f, precision %.3f, recall %.3f, "
                    + "F1 %.3f", auc, atThreshold.precision(), atThreshold.recall(), atThreshold.f1()));
            perGroup.forEach(g -> s.append(String.format(Locale.ROOT, "; %s AUC %.3f", g.group(), g.auc())));
            for (Part p : parts) {
                for (Row r : p.rows()) {
                    s.append(String.format(Locale.ROOT, "%n  %s / %s: point F1 %.3f, alert point F1 %.3f, window F1 %.3f, AUC %.3f, "
                                    + "spans alerted %d/%d, false alarms %d", p.name(), r.detector(),
                            r.metrics().points().f1(), r.metrics().alertPoints().f1(), r.metrics().windows().f1(), r.metrics().auc(),
                            r.metrics().spansAlerted(), r.metrics().spans(), r.metrics().falseAlarms()));
                }
            }
            return s.toString();
        }

        public Part part(String name) {
            return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private final SensorKind kind;
    private final Trainer.Settings settings;
    private final Consumer<String> progress;
    private final Windower.Shape shape;
    private final Calibrate calibrate;

    public SensorEvaluation(SensorKind kind, Trainer.Settings settings, Consumer<String> progress) {
        this.kind = kind;
        this.settings = settings;
        this.progress = progress;
        this.shape = Windower.Shape.of(kind);
        this.calibrate = kind.alert().calibrate();
    }

    public Result run(Path data, ModelBundle bundle) {
        return run(new Options(List.of(data), List.of(), null), bundle);
    }

    public Result run(Options options, ModelBundle bundle) {
        java.nio.file.PathMatcher included = options.include() == null ? null
                : java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + options.include());
        List<DeviceSeries> all = RecordingReader.readAll(options.data(), kind).stream()
                .filter(s -> included == null || included.matches(Path.of(s.device()))).toList();
        if (all.isEmpty()) {
            throw new ConfigException(String.join(", ", options.data().stream().map(Path::toString).toList())
                    + ": no recording matches '" + options.include() + "'");
        }
        if (all.stream().noneMatch(DeviceSeries::labelled)) {
            throw new ConfigException(options.data() + ": the recordings carry no labels; evaluation needs a label "
                    + "column ('" + kind.csv().labelColumn() + "'), a labels.json with anomaly windows (NAB) or "
                    + "ADXL356 file names");
        }
        for (DeviceSeries s : all) {
            if (!s.labelled()) {
                throw new ConfigException(s.device() + ": recording carries no labels while the others do; give "
                        + "unlabelled healthy recordings with --train-data");
            }
        }
        List<DeviceSeries> train = new ArrayList<>();
        List<DeviceSeries> test = new ArrayList<>();
        String training;
        if (!options.trainData().isEmpty()) {
            for (DeviceSeries s : RecordingReader.readAll(options.trainData(), kind)) {
                train.addAll(HealthyRows.of(s));
            }
            test.addAll(all);
            training = "the healthy rows of " + options.trainData();
        } else if (calibrate != null) {
            for (DeviceSeries s : all) {
                Long end = new DeviceCalibration(calibrate, kind.hop(), kind.frontEnd()).warmupEnd(Windows.cut(s, shape));
                if (end != null) {
                    int cut = (int) Arrays.stream(s.ts()).filter(t -> t <= end).count();
                    train.addAll(HealthyRows.of(HealthyRows.slice(s, 0, cut)));
                }
            }
            test.addAll(all);
            training = "the warm-up part (first " + calibrate.warmupWindows() + " windows) of every test recording";
        } else {
            for (DeviceSeries s : all) {
                if (Arrays.stream(s.labels()).allMatch(l -> l == 0)) {
                    int cut = (int) Math.round(s.size() * TRAIN_SHARE);
                    train.add(HealthyRows.slice(s, 0, cut));
                    test.add(HealthyRows.slice(s, cut, s.size()));
                } else {
                    test.add(s);
                }
            }
            training = String.format(Locale.ROOT, "the first %.0f%% of each healthy recording (the rest is test)",
                    TRAIN_SHARE * 100);
        }
        List<DeviceSeries> standardized = standardized(train);
        progress.accept(String.format(Locale.ROOT, "%d recordings; training on %s: %d series; %d test series",
                all.size(), training, standardized.size(), test.size()));
        if (standardized.isEmpty()) {
            throw new ConfigException(options.data() + ": no training data: " + training + " gives no series long "
                    + "enough for the warm-up and a window of " + kind.window() + " samples");
        }
        if (bundle == null) {
            List<String> sources = new ArrayList<>();
            options.data().forEach(p -> sources.add(p.toString()));
            options.trainData().forEach(p -> sources.add(p.toString()));
            bundle = new Trainer(kind, settings, r -> progress.accept(String.format(Locale.ROOT,
                    "train epoch %d/%d: train %.4f, validation %.4f%s (%.1f s)", r.epoch(), r.maxEpochs(),
                    r.trainLoss(), r.validationLoss(), r.best() ? " *" : "", r.took().toMillis() / 1000.0)))
                    .train(standardized, sources);
        }
        return evaluate(bundle, bundle.scorer(), standardized, test, options.chooseOn(), training);
    }

    /** Training series as the model sees them: standardized with their own warm-up statistics when calibrating. */
    private List<DeviceSeries> standardized(List<DeviceSeries> train) {
        if (calibrate == null || !calibrate.standardize()) {
            return train;
        }
        DeviceCalibration calibration = new DeviceCalibration(calibrate, kind.hop(), kind.frontEnd());
        return train.stream().map(s -> calibration.standardize(s, shape)).filter(s -> s != null).toList();
    }

    /** Scores the test series with {@code scorer} alone (no baselines); public for tests with a stub scorer. */
    public Result evaluate(ModelBundle bundle, WindowScorer scorer, List<DeviceSeries> test) {
        return evaluate(bundle, scorer, List.of(), test, null, "given");
    }

    /**
     * Judges the test series with the model and, when there are training series, with the baselines
     * fitted on their windows.
     */
    public Result evaluate(ModelBundle bundle, WindowScorer scorer, List<DeviceSeries> train, List<DeviceSeries> test,
                           String chooseOn, String training) {
        Map<String, List<Judged>> detectors = new LinkedHashMap<>();
        detectors.put("Vigil (model)", judgeAll(test, windows -> scorer.score(windows).stream()
                .mapToDouble(WindowScore::score).toArray(), scorer.threshold()));
        if (!train.isEmpty()) {
            List<Window> trainWindows = baselineWindows(train);
            for (WindowBaseline unfitted : WindowBaseline.sensorBaselines()) {
                WindowBaseline b = unfitted.fit(trainWindows.stream().map(this::levels).toList());
                Function<List<Window>, double[]> score = ws -> ws.stream().map(this::levels).mapToDouble(b::score)
                        .toArray();
                Double threshold = b.fixedThreshold();
                if (threshold == null) {
                    threshold = ThresholdCalibration.calibrate(score.apply(trainWindows), settings.quantile(),
                            settings.margin()).threshold();
                }
                detectors.put(b.name(), b.fixedThreshold() != null ? judgeAll(test, score, threshold, true)
                        : judgeAll(test, score, threshold));
                if (b.name().equals(WindowBaseline.WINDOWED_GAUSSIAN) && calibrate != null
                        && calibrate.likelihood() != null) {
                    // NAB's windowed Gaussian as it is judged without the likelihood too: its own threshold
                    double plain = threshold;
                    detectors.put(b.name() + WITHOUT_LIKELIHOOD, test.stream().map(s -> judge(kind,
                            calibrate.withoutLikelihood(), s, score, plain, false)).toList());
                }
            }
        }
        List<Judged> model = detectors.get("Vigil (model)");
        List<Part> parts = new ArrayList<>();
        if (chooseOn != null) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + chooseOn);
            parts.add(part("selection", detectors, j -> glob.matches(Path.of(j.series().device()))));
            parts.add(part("test", detectors, j -> !glob.matches(Path.of(j.series().device()))));
        }
        parts.add(part("all", detectors, j -> true));

        List<Scored> scored = new ArrayList<>();
        for (Judged j : model) {
            Long onset = null;
            for (int i = 0; i < j.series().size() && onset == null; i++) {
                onset = j.series().labels()[i] == 1 ? j.series().ts()[i] : null;
            }
            List<Long> raised = j.raisedAt(kind.name(), kind.alert());
            scored.add(new Scored(j.series().device(), j.windows(), j.scores(), j.labels(), onset,
                    raised.isEmpty() ? null : raised.get(0), j.thresholds()));
        }
        PartMetrics overall = parts.get(parts.size() - 1).model().metrics();
        return new Result(bundle, scored, overall.auc(), overall.windows(), groups(model), parts, training);
    }

    private Part part(String name, Map<String, List<Judged>> detectors, java.util.function.Predicate<Judged> in) {
        List<Row> rows = new ArrayList<>();
        List<Judged> model = detectors.values().iterator().next().stream().filter(in).toList();
        for (Map.Entry<String, List<Judged>> d : detectors.entrySet()) {
            List<Judged> judged = d.getValue().stream().filter(in).toList();
            PartMetrics m = PartMetrics.of(judged, kind.name(), kind.alert());
            rows.add(new Row(d.getKey(), m, PartMetrics.recallAtFalseAlarmRate(model, m.falseAlarmRate())));
        }
        return new Part(name, model.stream().map(j -> j.series().device()).toList(), rows);
    }

    /**
     * The raw features' levels of a window of front-end frames: baselines judge the sensor's values
     * as they are (NAB's windowed Gaussian scores the value), not what a front-end derives from them.
     */
    private Window levels(Window w) {
        if (w.features() == kind.featureCount()) {
            return w;
        }
        float[][] rows = new float[kind.featureCount()][];
        for (int f = 0; f < rows.length; f++) {
            rows[f] = w.values()[kind.frontEnd().levelOf(f)];
        }
        return new Window(w.startMs(), w.endMs(), rows);
    }

    private List<Window> baselineWindows(List<DeviceSeries> train) {
        List<Window> windows = new ArrayList<>();
        train.forEach(s -> windows.addAll(Windows.cut(s, shape)));
        if (windows.size() > MAX_BASELINE_WINDOWS) {
            Collections.shuffle(windows, new Random(7));
            return new ArrayList<>(windows.subList(0, MAX_BASELINE_WINDOWS));
        }
        return windows;
    }

    private List<Judged> judgeAll(List<DeviceSeries> test, Function<List<Window>, double[]> score, double threshold) {
        return judgeAll(test, score, threshold, false);
    }

    private List<Judged> judgeAll(List<DeviceSeries> test, Function<List<Window>, double[]> score, double threshold,
                                  boolean fixed) {
        return test.stream().map(s -> judge(kind, s, score, threshold, fixed)).toList();
    }

    /**
     * One recording through the stream's windowing and, when the topology calibrates each device, the
     * stream's {@link DeviceCalibration}: what the detector would have published for it. Also used by
     * {@code vigil score}.
     *
     * @param fixed hold every device against {@code threshold} even when calibrating (flag everything);
     *              warm-up windows still raise nothing
     */
    public static Judged judge(SensorKind kind, DeviceSeries s, Function<List<Window>, double[]> score,
                               double threshold, boolean fixed) {
        return judge(kind, kind.alert().calibrate(), s, score, threshold, fixed);
    }

    /** {@link #judge(SensorKind, DeviceSeries, Function, double, boolean)} under another calibration (or none). */
    static Judged judge(SensorKind kind, Calibrate calibrate, DeviceSeries s,
                        Function<List<Window>, double[]> score, double threshold, boolean fixed) {
        List<Window> windows = Windows.cut(s, Windower.Shape.of(kind));
        int[] labels = windows.stream().mapToInt(w -> s.labelled() ? labelAt(s, w.endMs()) : 0).toArray();
        Double[] thresholds = new Double[windows.size()];
        double[] scores;
        if (calibrate == null) {
            scores = score.apply(windows);
            Arrays.fill(thresholds, threshold);
        } else {
            DeviceCalibration calibration = new DeviceCalibration(calibrate, kind.hop(), kind.frontEnd());
            DeviceCalibration.State state = DeviceCalibration.State.fresh(kind.featureCount());
            List<Window> toScore = new ArrayList<>(windows.size());
            for (Window w : windows) {
                DeviceCalibration.Cut cut = calibration.cut(state, w);
                state = cut.state();
                toScore.add(cut.window());
            }
            scores = score.apply(toScore);
            for (int i = 0; i < scores.length; i++) {
                DeviceCalibration.Judged verdict = calibration.scored(state, scores[i]);
                state = verdict.state();
                thresholds[i] = verdict.threshold() == null ? null : fixed ? threshold : verdict.threshold();
                // flag everything holds the raw score against its fixed threshold, likelihood or not
                scores[i] = fixed ? scores[i] : verdict.value();
            }
        }
        return new Judged(s, windows, scores, thresholds, labels);
    }

    /** Healthy windows against each group of anomalous recordings (the device id without a load suffix, {@code _11lb}). */
    private static List<GroupAuc> groups(List<Judged> model) {
        List<double[]> healthy = new ArrayList<>();
        Map<String, List<double[]>> faulty = new LinkedHashMap<>();
        for (Judged j : model) {
            boolean anomalous = Arrays.stream(j.labels()).anyMatch(l -> l == 1);
            for (int i = 0; i < j.scores().length; i++) {
                if (!j.judged(i)) {
                    continue;
                }
                double[] entry = {j.relative(i), j.flagged(i) ? 1 : 0};
                if (j.labels()[i] == 0) {
                    healthy.add(entry);
                } else if (anomalous) {
                    faulty.computeIfAbsent(j.series().device().replaceFirst("_\\d+lb$", ""), k -> new ArrayList<>())
                            .add(entry);
                }
            }
        }
        List<GroupAuc> groups = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> g : faulty.entrySet()) {
            double[] both = new double[healthy.size() + g.getValue().size()];
            int[] y = new int[both.length];
            for (int i = 0; i < healthy.size(); i++) {
                both[i] = healthy.get(i)[0];
            }
            for (int i = 0; i < g.getValue().size(); i++) {
                both[healthy.size() + i] = g.getValue().get(i)[0];
                y[healthy.size() + i] = 1;
            }
            double recall = g.getValue().stream().mapToDouble(e -> e[1]).average().orElse(Double.NaN);
            groups.add(new GroupAuc(g.getKey(), g.getValue().size(), BinaryMetrics.rocAuc(both, y), recall));
        }
        return groups;
    }

    private static int labelAt(DeviceSeries s, long ts) {
        int i = Arrays.binarySearch(s.ts(), ts);
        return s.labels()[i >= 0 ? i : Math.max(0, -i - 2)];
    }

    /** The data's calibration, for the report. */
    Calibrate calibrate() {
        return calibrate;
    }
}
