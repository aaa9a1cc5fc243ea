package io.vigil.evaluate;

import io.vigil.model.BundleMetadata;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.replay.RecordingReader;
import io.vigil.topology.SensorTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluation on labelled recordings (a label column, or ADXL356 file names): healthy recordings
 * (no labelled sample) are split in time — the first {@value #TRAIN_SHARE} trains, the rest tests —
 * and every recording with labelled samples is test data. Windows come from the stream's
 * {@link Windower}, scores from the bundle's scorer, alerts from the stream's alert lifecycle.
 * A window's label is the label of its last sample.
 */
public final class SensorEvaluation {

    /** Share of each healthy recording (its beginning) used for training. */
    public static final double TRAIN_SHARE = 0.6;

    /** One test recording. */
    public record Scored(String device, List<Window> windows, double[] scores, int[] labels, Long onsetMs,
                         Long firstAlertMs) {
        /** Time from the first labelled sample to the first alert, ms on the recording's clock; null when not both. */
        public Long delayMs() {
            return onsetMs == null || firstAlertMs == null ? null : firstAlertMs - onsetMs;
        }
    }

    /** AUC of healthy test windows against one group of anomalous windows. */
    public record GroupAuc(String group, int windows, double auc, double recallAtThreshold) {
    }

    public record Result(ModelBundle bundle, List<Scored> recordings, double auc, BinaryMetrics atThreshold,
                         List<GroupAuc> perGroup) {

        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "AUC %.3f, precision %.3f, recall %.3f, "
                    + "F1 %.3f", auc, atThreshold.precision(), atThreshold.recall(), atThreshold.f1()));
            perGroup.forEach(g -> s.append(String.format(Locale.ROOT, "; %s AUC %.3f", g.group(), g.auc())));
            return s.toString();
        }
    }

    private final SensorTopology topology;
    private final Trainer.Settings settings;
    private final Consumer<String> progress;

    public SensorEvaluation(SensorTopology topology, Trainer.Settings settings, Consumer<String> progress) {
        this.topology = topology;
        this.settings = settings;
        this.progress = progress;
    }

    public Result run(Path data, ModelBundle bundle) {
        return run(data, bundle, null);
    }

    /**
     * @param include a glob on recording (device) names, e.g. {@code 1200_*} for one ADXL356 shaft speed; null
     *                for every recording
     */
    public Result run(Path data, ModelBundle bundle, String include) {
        java.nio.file.PathMatcher matcher = include == null ? null
                : java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + include);
        List<DeviceSeries> all = RecordingReader.readAll(List.of(data), topology).stream()
                .filter(s -> matcher == null || matcher.matches(Path.of(s.device()))).toList();
        if (all.isEmpty()) {
            throw new IllegalArgumentException(data + ": no recording matches '" + include + "'");
        }
        List<DeviceSeries> train = new ArrayList<>();
        List<DeviceSeries> test = new ArrayList<>();
        for (DeviceSeries s : all) {
            if (!s.labelled()) {
                throw new IllegalArgumentException(s.device() + ": recording carries no labels; evaluation needs a "
                        + "label column or ADXL356 file names");
            }
            if (Arrays.stream(s.labels()).allMatch(l -> l == 0)) {
                int cut = (int) Math.round(s.size() * TRAIN_SHARE);
                train.add(slice(s, 0, cut));
                test.add(slice(s, cut, s.size()));
            } else {
                test.add(s);
            }
        }
        progress.accept(String.format(Locale.ROOT, "%d recordings: %d healthy (first %.0f%% trains), %d test series",
                all.size(), train.size(), TRAIN_SHARE * 100, test.size()));
        if (bundle == null) {
            bundle = new Trainer(topology, settings, r -> progress.accept(String.format(Locale.ROOT,
                    "train epoch %d/%d: train %.4f, validation %.4f%s (%.1f s)", r.epoch(), r.maxEpochs(),
                    r.trainLoss(), r.validationLoss(), r.best() ? " *" : "", r.took().toMillis() / 1000.0)))
                    .train(train, List.of(data.toString()));
        }
        return evaluate(bundle, bundle.scorer(), test);
    }

    /** Scores the test series with {@code scorer} and computes the metrics; public for tests with a stub scorer. */
    public Result evaluate(ModelBundle bundle, WindowScorer scorer, List<DeviceSeries> test) {
        Windower.Shape shape = Windower.Shape.of(topology);
        List<Scored> scored = new ArrayList<>();
        for (DeviceSeries s : test) {
            List<Window> windows = Windows.cut(s, shape);
            double[] scores = scorer.score(windows).stream().mapToDouble(WindowScore::score).toArray();
            int[] labels = windows.stream().mapToInt(w -> labelAt(s, w.endMs())).toArray();
            Long onset = null;
            for (int i = 0; i < s.size() && onset == null; i++) {
                onset = s.labels()[i] == 1 ? s.ts()[i] : null;
            }
            Long alert = AlertTimeline.firstRaised(s.device(), topology.kind(), windows, scores, scorer.threshold(),
                    topology.alert());
            scored.add(new Scored(s.device(), windows, scores, labels, onset, alert));
        }
        double[] scores = scored.stream().flatMapToDouble(r -> Arrays.stream(r.scores())).toArray();
        int[] labels = scored.stream().flatMapToInt(r -> Arrays.stream(r.labels())).toArray();
        List<GroupAuc> groups = new ArrayList<>();
        double[] healthy = scored.stream().flatMapToDouble(r -> indices(r, 0)).toArray();
        for (Map.Entry<String, List<Scored>> g : groups(scored).entrySet()) {
            double[] faulty = g.getValue().stream().flatMapToDouble(r -> indices(r, 1)).toArray();
            double[] both = new double[healthy.length + faulty.length];
            int[] y = new int[both.length];
            System.arraycopy(healthy, 0, both, 0, healthy.length);
            System.arraycopy(faulty, 0, both, healthy.length, faulty.length);
            Arrays.fill(y, healthy.length, y.length, 1);
            groups.add(new GroupAuc(g.getKey(), faulty.length, BinaryMetrics.rocAuc(both, y),
                    Arrays.stream(faulty).filter(v -> v > scorer.threshold()).count() / (double) faulty.length));
        }
        return new Result(bundle, scored, BinaryMetrics.rocAuc(scores, labels),
                BinaryMetrics.at(scores, labels, scorer.threshold()), groups);
    }

    /** Anomalous recordings grouped by fault: the device id without a trailing load suffix ({@code _11lb}). */
    static Map<String, List<Scored>> groups(List<Scored> scored) {
        Map<String, List<Scored>> groups = new LinkedHashMap<>();
        for (Scored r : scored) {
            if (Arrays.stream(r.labels()).anyMatch(l -> l == 1)) {
                groups.computeIfAbsent(r.device().replaceFirst("_\\d+lb$", ""), k -> new ArrayList<>()).add(r);
            }
        }
        return groups;
    }

    private static java.util.stream.DoubleStream indices(Scored r, int label) {
        return java.util.stream.IntStream.range(0, r.scores().length).filter(i -> r.labels()[i] == label)
                .mapToDouble(i -> r.scores()[i]);
    }

    private static int labelAt(DeviceSeries s, long ts) {
        int i = Arrays.binarySearch(s.ts(), ts);
        return s.labels()[i >= 0 ? i : Math.max(0, -i - 2)];
    }

    private static DeviceSeries slice(DeviceSeries s, int from, int to) {
        return new DeviceSeries(s.device(), Arrays.copyOfRange(s.ts(), from, to),
                Arrays.copyOfRange(s.values(), from, to), Arrays.copyOfRange(s.labels(), from, to));
    }

    public static Path writeReport(Result r, Path out, String data) throws IOException {
        return writeReport(r, out, data, List.of());
    }

    /**
     * @param provenance lines naming everything that shaped the report (command, options, seeds, which part of
     *                   the data the topology was chosen on), written under the title as a list
     */
    public static Path writeReport(Result r, Path out, String data, List<String> provenance) throws IOException {
        Files.createDirectories(out);
        double threshold = r.bundle().metadata().threshold();
        StringBuilder md = new StringBuilder("# Vigil evaluation: " + r.bundle().metadata().kind() + "\n\n");
        provenance.forEach(line -> md.append("- ").append(line).append('\n'));
        if (!provenance.isEmpty()) {
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "Data: `%s`. Model `%s`, threshold %.4g (calibrated on healthy "
                        + "validation windows, no labels). Healthy recordings: first %.0f%% trained, the rest is test.%n%n",
                data, r.bundle().metadata().version(), threshold, TRAIN_SHARE * 100));
        md.append(String.format(Locale.ROOT, "All test windows: ROC AUC **%.3f**; at the calibrated threshold "
                        + "precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, TN %d, FN %d).%n%n", r.auc(),
                r.atThreshold().precision(), r.atThreshold().recall(), r.atThreshold().f1(),
                r.atThreshold().truePositives(), r.atThreshold().falsePositives(), r.atThreshold().trueNegatives(),
                r.atThreshold().falseNegatives()));
        md.append("| healthy vs fault | fault windows | ROC AUC | recall at threshold |\n|---|---|---|---|\n");
        for (GroupAuc g : r.perGroup()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", g.group(), g.windows(), g.auc(),
                    g.recallAtThreshold()));
        }
        md.append("\n| recording | windows | labelled | first alert after onset (ms, recording clock) |\n|---|---|---|---|\n");
        List<Charts.Line> lines = new ArrayList<>();
        List<Charts.Span> spans = new ArrayList<>();
        int offset = 0;
        for (Scored s : r.recordings()) {
            long labelled = Arrays.stream(s.labels()).filter(l -> l == 1).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", s.device(), s.windows().size(), labelled,
                    s.delayMs() == null ? (s.onsetMs() == null ? "– (healthy)" : "never alerted") : s.delayMs()));
            double[] x = new double[s.scores().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = offset + i;
                if (s.labels()[i] == 1) {
                    spans.add(new Charts.Span(offset + i - 0.5, offset + i + 0.5));
                }
            }
            lines.add(new Charts.Line(s.device(), x, s.scores()));
            offset += x.length;
        }
        Charts.scoreWithSpans(out.resolve("scores.png"), "Score per window, test recordings in order (labelled "
                + "windows shaded)", "window", lines, spans, threshold, true);
        md.append("\nEvery fault recording is labelled anomalous from its first sample (the file name gives the "
                + "fault, not an onset time), so \"first alert after onset\" is the time the stream needs to fill "
                + "its windows and reach `raiseAfter` on a recording that is faulty from the start, not how fast an "
                + "onset is detected.\n");
        md.append("\n![](scores.png)\n");
        BundleMetadata.TrainingSummary t = r.bundle().metadata().training();
        if (t.trainLosses() != null && !t.trainLosses().isEmpty()) {
            Charts.lossCurve(out.resolve("loss.png"), "Loss per epoch: " + r.bundle().metadata().version(),
                    t.trainLosses(), t.validationLosses(), t.bestEpoch());
            md.append(String.format(Locale.ROOT, "%nTraining: %d windows, %d epochs run, epoch %d kept; the network "
                            + "reconstructs %.3f of the healthy validation windows' variance.%n%n![](loss.png)%n",
                    t.trainWindows(), t.epochs(), t.bestEpoch(), t.explainedVariance()));
        }
        Path report = out.resolve("report.md");
        Files.writeString(report, md.toString());
        return report;
    }
}
