package io.vigil.evaluate;

import io.vigil.evaluate.SensorEvaluation.Part;
import io.vigil.model.BundleMetadata;
import io.vigil.evaluate.SensorEvaluation.Result;
import io.vigil.evaluate.SensorEvaluation.Row;
import io.vigil.evaluate.SensorEvaluation.Scored;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.Calibrate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code report.md} and {@code scores.png} of a sensor evaluation; the command that wrote it heads the report. */
public final class SensorReport {

    private SensorReport() {
    }

    public static Path write(Result r, SensorKind kind, Path out, String command) throws IOException {
        return write(r, kind, out, command, List.of());
    }

    /**
     * @param provenance lines naming what else shaped the report (network, seed, front-end, the topology's
     *                   selection part), written under the command as a list
     */
    public static Path write(Result r, SensorKind kind, Path out, String command, List<String> provenance)
            throws IOException {
        Files.createDirectories(out);
        Calibrate calibrate = kind.alert().calibrate();
        StringBuilder md = new StringBuilder("# Vigil evaluation: " + r.bundle().metadata().kind() + "\n\n");
        md.append("Written by `").append(command).append("`.\n\n");
        provenance.forEach(line -> md.append("- ").append(line).append('\n'));
        if (!provenance.isEmpty()) {
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "Model `%s`, trained on %s.%n", r.bundle().metadata().version(),
                r.training()));
        if (calibrate == null) {
            md.append(String.format(Locale.ROOT, "Threshold %.4g, calibrated on healthy validation windows (no labels)."
                    + "%n%n", r.bundle().metadata().threshold()));
        } else if (calibrate.likelihood() != null) {
            md.append(String.format(Locale.ROOT, "Each recording calibrates itself as a device of the stream does "
                            + "(`alert.calibrate`): its first %d windows raise nothing%s; then each window is judged "
                            + "by its anomaly likelihood (Numenta's): the mean of its last %d scores against a "
                            + "Gaussian of such means, learned on the %s warm-up scores and followed with a moving "
                            + "mean and variance of span %d windows; over threshold when 1 − tail > %s. Baselines "
                            + "are standardized and calibrated the same way; the windowed Gaussian is also shown "
                            + "judged by its own threshold, the %.3g quantile of those warm-up scores plus %.2g × "
                            + "(quantile − median), as without the likelihood (`%s`).%n%n",
                    calibrate.warmupWindows(),
                    calibrate.standardize() ? ", the first half of them standardizes its features" : "",
                    calibrate.likelihood().shortSpan(), calibrate.standardize() ? "other half's" : "",
                    calibrate.likelihood().longSpan(), calibrate.likelihood().threshold(), calibrate.quantile(),
                    calibrate.margin(), WindowBaseline.WINDOWED_GAUSSIAN + SensorEvaluation.WITHOUT_LIKELIHOOD));
        } else {
            md.append(String.format(Locale.ROOT, "Each recording calibrates itself as a device of the stream does "
                            + "(`alert.calibrate`): its first %d windows raise nothing%s; its threshold is the %.3g "
                            + "quantile of the %s warm-up scores plus %.2g × (quantile − median). Baselines are "
                            + "standardized and calibrated the same way.%n%n", calibrate.warmupWindows(),
                    calibrate.standardize() ? ", the first half of them standardizes its features" : "",
                    calibrate.quantile(), calibrate.standardize() ? "other half's" : "", calibrate.margin()));
        }
        md.append("""
                Columns: **point F1** — each sample flagged when the latest window ending at it is over threshold, \
                scored as binary classification over all samples (SKAB's protocol; warm-up samples count as not \
                flagged); **alert point F1** — the same with a sample flagged while its recording is in alert (the \
                stream's alert rule, below); **window** precision, recall and F1 at the threshold; **AUC** over windows after warm-up, \
                on the score relative to its threshold; **spans alerted** — labelled anomaly spans in which the \
                stream's alert rule (`raiseAfter` %d, `clearAfter` %d) raised an alert; **false alarms** — alerts \
                raised outside every labelled span; **false-alarm rate** — share of normal windows after warm-up \
                flagged; **model recall there** — the model's window recall with its cut moved to that detector's \
                false-alarm rate.

                """.formatted(kind.alert().raiseAfter(), kind.alert().clearAfter()));
        for (Part p : r.parts()) {
            if (p.devices().isEmpty()) {
                continue; // e.g. no test part when every recording is in the topology's selection part
            }
            md.append("## ").append(switch (p.name()) {
                case "selection" -> "Selection part (settings were chosen on these recordings)";
                case "test" -> "Test part (not used for any choice)";
                default -> "All recordings";
            }).append("\n\n");
            md.append(p.devices().size()).append(" recordings: ").append(String.join(", ", p.devices())).append(".\n\n");
            md.append("| detector | point F1 | alert point F1 | window precision | window recall | window F1 | AUC "
                    + "| spans alerted | false alarms | false-alarm rate | model recall there |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Row row : p.rows()) {
                PartMetrics m = row.metrics();
                md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d | %d | "
                                + "%.3f | %.3f |%n", row.detector(), m.points().f1(), m.alertPoints().f1(),
                        m.windows().precision(),
                        m.windows().recall(), m.windows().f1(), m.auc(), m.spansAlerted(), m.spans(), m.falseAlarms(),
                        m.falseAlarmRate(), row.modelRecallAtThisRate()));
            }
            md.append('\n').append(verdicts(p)).append('\n');
        }
        if (!r.perGroup().isEmpty()) {
            md.append("## Model per fault group\n\n| healthy vs fault | fault windows | ROC AUC | recall at threshold |\n"
                    + "|---|---|---|---|\n");
            r.perGroup().forEach(g -> md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", g.group(),
                    g.windows(), g.auc(), g.recallAtThreshold())));
            md.append('\n');
        }
        md.append("## Model per recording\n\n| recording | windows | labelled | first alert after onset (ms, recording "
                + "clock) |\n|---|---|---|---|\n");
        for (Scored s : r.recordings()) {
            long labelled = Arrays.stream(s.labels()).filter(l -> l == 1).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", s.device(), s.windows().size(), labelled,
                    s.delayMs() == null ? (s.onsetMs() == null ? "– (healthy)" : "never alerted") : s.delayMs()));
        }
        plot(r, out, calibrate != null);
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

    /** Plain sentences: where the model wins and loses against each baseline. */
    static String verdicts(Part p) {
        StringBuilder s = new StringBuilder();
        PartMetrics model = p.model().metrics();
        for (Row row : p.rows().subList(1, p.rows().size())) {
            PartMetrics b = row.metrics();
            List<String> wins = new ArrayList<>();
            List<String> losses = new ArrayList<>();
            compare("point F1", model.points().f1(), b.points().f1(), wins, losses);
            compare("AUC", model.auc(), b.auc(), wins, losses);
            compare("recall at its false-alarm rate", row.modelRecallAtThisRate(), b.windows().recall(), wins, losses);
            compare("spans alerted", model.spansAlerted(), b.spansAlerted(), wins, losses);
            compare("fewer false alarms", -model.falseAlarms(), -b.falseAlarms(), wins, losses);
            s.append("- Against ").append(row.detector()).append(": model wins on ")
                    .append(wins.isEmpty() ? "nothing" : String.join(", ", wins)).append("; loses on ")
                    .append(losses.isEmpty() ? "nothing" : String.join(", ", losses)).append(".\n");
        }
        return s.toString();
    }

    private static void compare(String what, double model, double baseline, List<String> wins, List<String> losses) {
        if (Double.isNaN(model) || Double.isNaN(baseline) || model == baseline) {
            return;
        }
        (model > baseline ? wins : losses).add(what);
    }

    private static void plot(Result r, Path out, boolean calibrated) throws IOException {
        List<Charts.Line> lines = new ArrayList<>();
        List<Charts.Span> spans = new ArrayList<>();
        int offset = 0;
        double threshold = calibrated ? 1 : r.bundle().metadata().threshold();
        for (Scored s : r.recordings()) {
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < s.scores().length; i++) {
                if (s.labels()[i] == 1) {
                    spans.add(new Charts.Span(offset + i - 0.5, offset + i + 0.5));
                }
                if (s.thresholds()[i] != null) {
                    points.add(new double[] {offset + i,
                            Math.max(1e-6, s.scores()[i] / (calibrated ? s.thresholds()[i] : 1))});
                }
            }
            lines.add(new Charts.Line(s.device(), points.stream().mapToDouble(v -> v[0]).toArray(),
                    points.stream().mapToDouble(v -> v[1]).toArray()));
            offset += s.scores().length;
        }
        Charts.scoreWithSpans(out.resolve("scores.png"), calibrated
                ? "Model score / the device's threshold per window, after warm-up (labelled windows shaded)"
                : "Score per window, test recordings in order (labelled windows shaded)", "window", lines, spans,
                threshold, true);
    }
}
