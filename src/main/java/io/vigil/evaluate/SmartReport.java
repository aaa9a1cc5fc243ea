package io.vigil.evaluate;

import io.vigil.evaluate.SmartEvaluation.Drive;
import io.vigil.evaluate.SmartEvaluation.Result;
import io.vigil.evaluate.SmartEvaluation.SweepPoint;
import io.vigil.model.ThresholdCalibration;
import io.vigil.model.Window;
import io.vigil.replay.SmartReadings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link SmartEvaluation.Result} as {@code report.md} plus PNG plots into a folder. */
public final class SmartReport {

    /** How many failed and healthy drives get a score-over-time plot. */
    static final int SAMPLE = 6;

    private SmartReport() {
    }

    public static Path write(Result r, Path out, String data) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        ThresholdCalibration cal = r.bundle().metadata().calibration();
        md.append("# Vigil SMART evaluation\n\n");
        md.append(String.format(Locale.ROOT, "Data: `%s` (%d days, %,d rows, %d rows skipped). Model `%s`, "
                        + "threshold %.4g (calibrated without labels: q%.3f of %d healthy validation windows + %.1f x spread).%n%n",
                data, r.read().days(), r.read().rows(), r.read().badRows(), r.bundle().metadata().version(),
                cal.threshold(), cal.quantile(), cal.validationWindows(), cal.margin()));
        md.append(String.format(Locale.ROOT, "Split by drive serial: %d healthy training drives (none fails in the "
                + "data); %d test drives, %d of them failed. A failed drive is caught when first flagged at least "
                + "%d day before its failure day. Precision = caught / (caught + healthy drives flagged).%n%n",
                r.trainDrives(), r.testDrives(), r.vigil().failed(), SmartEvaluation.MIN_LEAD_DAYS));
        md.append("| detector | failed caught ≥1 day ahead | recall | median lead (days) | healthy drives alerted "
                + "| false-alarm share | precision |\n|---|---|---|---|---|---|---|\n");
        row(md, "Vigil (calibrated threshold)", r.vigil());
        if (r.atRuleFalseAlarms() != null) {
            row(md, String.format(Locale.ROOT, "Vigil at the rule's false-alarm share (threshold %.4g, chosen "
                    + "with labels)", r.atRuleFalseAlarms().threshold()), r.atRuleFalseAlarms().metrics());
        }
        row(md, "Backblaze rule, same days as Vigil", r.ruleSameDays());
        row(md, "Backblaze rule, all days", r.ruleAllDays());
        md.append("\nThe rule is raw SMART 5/187/188/197/198 > 0 (in 2013 only 5 and 197 are filled). \"Same days\" "
                + "judges it only on days that end one of Vigil's windows (a drive's 5th reported day on).\n\n");

        md.append("## Per drive model (test drives)\n\n| model | failed | caught Vigil | caught rule | healthy "
                + "| alerted Vigil | alerted rule |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, int[]> e : SmartEvaluation.perModel(r.drives()).entrySet()) {
            int[] v = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |%n", e.getKey(), v[0], v[1],
                    v[2], v[3], v[4], v[5]));
        }

        md.append("\n## Failed test drives\n\n| serial | model | failure | first alert Vigil | lead | first alert rule "
                + "| lead |\n|---|---|---|---|---|---|---|\n");
        List<Drive> failed = r.drives().stream().filter(d -> d.history().failed())
                .sorted(Comparator.comparing(d -> d.history().failureDate())).toList();
        for (Drive d : failed) {
            DriveOutcome v = new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                    d.vigilAlert());
            DriveOutcome u = new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                    d.ruleAlertSameDays());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", d.history().serial(),
                    d.history().model(), d.history().failureDate(), text(d.vigilAlert()),
                    v.leadDays() == null ? "–" : v.leadDays(), text(d.ruleAlertSameDays()),
                    u.leadDays() == null ? "–" : u.leadDays()));
        }

        Charts.lines(out.resolve("precision-recall.png"), "Vigil over thresholds (test drives)", "threshold",
                "share", sweepLines(r.sweep()), true, cal.threshold());
        md.append("\n## Precision, recall and false alarms over thresholds\n\n![](precision-recall.png)\n\n");
        md.append("| threshold | recall | false-alarm share | precision |\n|---|---|---|---|\n");
        for (SweepPoint p : r.sweep()) {
            md.append(String.format(Locale.ROOT, "| %.4g | %.3f | %.4f | %.3f |%n", p.threshold(),
                    p.metrics().recall(), p.metrics().falseAlarmShare(), p.metrics().precision()));
        }

        md.append("\n## Score over time\n\nRed line: threshold; black line: failure day.\n\n");
        List<Drive> sample = new ArrayList<>(failed.stream().filter(d -> !d.windows().isEmpty()).limit(SAMPLE).toList());
        sample.addAll(r.drives().stream().filter(d -> !d.history().failed() && !d.windows().isEmpty())
                .sorted(Comparator.comparing(d -> d.history().serial())).limit(SAMPLE).toList());
        for (Drive d : sample) {
            String name = "score-" + d.history().serial() + ".png";
            Long failure = d.history().failed() ? d.history().failureDate().toEpochDay() * SmartReadings.DAY_MS : null;
            Charts.scoreOverTime(out.resolve(name), d.history().serial() + " (" + d.history().model() + ", "
                            + (d.history().failed() ? "failed " + d.history().failureDate() : "healthy") + ")",
                    List.of(new Charts.Line("score", ends(d.windows()), d.scores())), cal.threshold(), failure,
                    "failure", true);
            md.append("![](").append(name).append(")\n");
        }
        Path report = out.resolve("report.md");
        Files.writeString(report, md.toString());
        return report;
    }

    private static List<Charts.Line> sweepLines(List<SweepPoint> sweep) {
        double[] x = sweep.stream().mapToDouble(SweepPoint::threshold).toArray();
        return List.of(
                new Charts.Line("recall (>=1 day ahead)", x, sweep.stream().mapToDouble(p -> p.metrics().recall()).toArray()),
                new Charts.Line("precision", x, sweep.stream().mapToDouble(p -> p.metrics().precision()).toArray()),
                new Charts.Line("false-alarm share", x, sweep.stream().mapToDouble(p -> p.metrics().falseAlarmShare())
                        .toArray()));
    }

    private static double[] ends(List<Window> windows) {
        return windows.stream().mapToDouble(Window::endMs).toArray();
    }

    private static String text(LocalDate date) {
        return date == null ? "–" : date.toString();
    }

    private static void row(StringBuilder md, String name, DriveMetrics m) {
        md.append(String.format(Locale.ROOT, "| %s | %d of %d | %.3f | %s | %d of %d | %.4f | %.3f |%n", name,
                m.caught(), m.failed(), m.recall(), Double.isNaN(m.medianLeadDays()) ? "–"
                        : String.format(Locale.ROOT, "%.1f", m.medianLeadDays()),
                m.falseAlarms(), m.healthy(), m.falseAlarmShare(), m.precision()));
    }
}
