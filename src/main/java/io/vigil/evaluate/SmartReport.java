package io.vigil.evaluate;

import io.vigil.evaluate.SmartEvaluation.Drive;
import io.vigil.evaluate.SmartEvaluation.Result;
import io.vigil.evaluate.SmartEvaluation.SweepPoint;
import io.vigil.model.BundleMetadata;
import io.vigil.model.ThresholdCalibration;
import io.vigil.model.Window;
import io.vigil.replay.SmartReadings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link SmartEvaluation.Result} as {@code report.md} plus PNG plots into a folder. */
public final class SmartReport {

    /** How many drives of each outcome (caught, missed, false alarm, quiet) get a score-over-time plot. */
    static final int SAMPLE = 3;

    /** A drive picked for a score plot and its outcome in words. */
    record Pick(Drive drive, String label) {
    }

    private SmartReport() {
    }

    /**
     * @param command the command line that produced {@code r}, every option spelled out (defaults too),
     *                so that running it again regenerates the report
     */
    public static Path write(Result r, Path out, String data, String command) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        BundleMetadata meta = r.bundle().metadata();
        ThresholdCalibration cal = meta.calibration();
        md.append("# Vigil SMART evaluation (" + r.judged() + " drives)\n\n");
        md.append("Produced by `" + command + "`.\n\n");
        md.append(settingsText(r)).append("\n\n");
        md.append(String.format(Locale.ROOT, "Data: `%s` (%d days, %,d rows, %d rows skipped). Model `%s`, "
                        + "threshold %.4g (calibrated without labels: %s).%n%n",
                data, r.read().days(), r.read().rows(), r.read().badRows(), meta.version(),
                cal.threshold(), calibrationText(cal)));
        md.append(String.format(Locale.ROOT, "Split by drive serial: %d healthy training drives (none fails in the "
                + "data); %d %s drives, %d of them failed.%s A failed drive is caught when first flagged at least "
                + "%d day before its failure day. Precision = caught / (caught + healthy drives flagged).%n%n",
                r.trainDrives(), r.testDrives(), r.judged(), r.vigil().failed(), r.judged().equals("selection")
                        ? " Selection drives: the training half's failed drives and the healthy drives held out for "
                        + "validation (the calibrated threshold was computed on the latter's windows)." : "",
                SmartEvaluation.MIN_LEAD_DAYS));
        md.append("| detector | failed caught ≥1 day ahead | recall | median lead (days) | healthy drives alerted "
                + "| false-alarm share | precision |\n|---|---|---|---|---|---|---|\n");
        row(md, "Vigil (calibrated threshold)", r.vigil());
        if (r.atRuleFalseAlarms() != null) {
            row(md, String.format(Locale.ROOT, "Vigil at the rule's false-alarm share (threshold %.4g, chosen "
                    + "with labels)", r.atRuleFalseAlarms().threshold()), r.atRuleFalseAlarms().metrics());
        }
        if (r.atGrewFalseAlarms() != null) {
            row(md, String.format(Locale.ROOT, "Vigil at \"sector count grew\"'s false-alarm share (threshold %.4g, "
                    + "chosen with labels)", r.atGrewFalseAlarms().threshold()), r.atGrewFalseAlarms().metrics());
        }
        row(md, "Backblaze rule, same days as Vigil", r.ruleSameDays());
        row(md, "Backblaze rule, all days", r.ruleAllDays());
        row(md, "\"Sector count grew\", same days as Vigil", r.grewSameDays());
        row(md, "\"Sector count grew\", all days", r.grewAllDays());
        md.append("\nBackblaze's rule: raw SMART 5/187/188/197/198 > 0 (in 2013 only 5 and 197 are filled). \"Sector "
                + "count grew\": raw SMART 5 or 197 above the lowest value the drive reported for it on an earlier day. "
                + "\"Same days\" judges a baseline only on days that end one of Vigil's windows (from a drive's "
                + "reported day " + meta.window() + " on).\n\n");
        md.append("**Vigil against the baselines** (calibrated threshold; same drives, same days):\n\n");
        md.append("- ").append(verdict("Backblaze's rule", r.vigil(), r.ruleSameDays())).append('\n');
        md.append("- ").append(verdict("\"sector count grew\"", r.vigil(), r.grewSameDays())).append('\n');
        md.append("- ").append(target(r.vigil(), r.ruleSameDays(), r.grewSameDays())).append("\n\n");

        md.append("## Per drive model (" + r.judged() + " drives)\n\n\"Alerted both\": healthy drives that Vigil and the rule "
                + "both alerted on.\n\n| model | failed | caught Vigil | caught rule | healthy | alerted Vigil "
                + "| alerted rule | alerted both |\n|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, int[]> e : SmartEvaluation.perModel(r.drives()).entrySet()) {
            int[] v = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d |%n", e.getKey(), v[0],
                    v[1], v[2], v[3], v[4], v[5], v[6]));
        }

        md.append("\n## Failed " + r.judged() + " drives\n\nFirst alerts of Vigil and of both baselines on the same days; "
                + "lead in days before the failure.\n\n| serial | model | failure | first alert Vigil | lead "
                + "| first alert rule | lead | first alert grew | lead |\n|---|---|---|---|---|---|---|---|---|\n");
        List<Drive> failed = r.drives().stream().filter(d -> d.history().failed())
                .sorted(Comparator.comparing(d -> d.history().failureDate())).toList();
        for (Drive d : failed) {
            DriveOutcome v = new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                    d.vigilAlert());
            DriveOutcome u = new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                    d.ruleAlertSameDays());
            DriveOutcome g = new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(),
                    d.grewAlertSameDays());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    d.history().serial(), d.history().model(), d.history().failureDate(), text(d.vigilAlert()),
                    v.leadDays() == null ? "–" : v.leadDays(), text(d.ruleAlertSameDays()),
                    u.leadDays() == null ? "–" : u.leadDays(), text(d.grewAlertSameDays()),
                    g.leadDays() == null ? "–" : g.leadDays()));
        }

        Charts.lines(out.resolve("precision-recall.png"), "Vigil over thresholds (" + r.judged() + " drives)", "threshold",
                "share", sweepLines(r.sweep()), true, cal.threshold());
        md.append("\n## Precision, recall and false alarms over thresholds\n\n![](precision-recall.png)\n\n");
        md.append("| threshold | recall | false-alarm share | precision |\n|---|---|---|---|\n");
        for (SweepPoint p : r.sweep()) {
            md.append(String.format(Locale.ROOT, "| %.4g | %.3f | %.4f | %.3f |%n", p.threshold(),
                    p.metrics().recall(), p.metrics().falseAlarmShare(), p.metrics().precision()));
        }

        md.append("\n## Score over time\n\nA sample chosen by outcome: the failed drives Vigil caught (longest "
                + "lead first), failed drives it missed (longest history first), the healthy drives it alerted on "
                + "(highest score first) and healthy drives it never alerted on. Blue: the drive's score, one window "
                + "per day, plotted on the window's last day; red dashed: the calibrated threshold; orange: Vigil's "
                + "first alert; black: the failure day. Log scale.\n\n");
        for (Pick p : plotSample(r.drives())) {
            Drive d = p.drive();
            String name = "score-" + d.history().serial() + ".png";
            List<Charts.Event> events = new ArrayList<>();
            if (d.vigilAlert() != null) {
                events.add(new Charts.Event("first alert", d.vigilAlert().toEpochDay() * SmartReadings.DAY_MS, false));
            }
            if (d.history().failed()) {
                events.add(new Charts.Event("failure day", d.history().failureDate().toEpochDay() * SmartReadings.DAY_MS,
                        true));
            }
            Charts.scoreOverTime(out.resolve(name), d.history().serial() + " (" + d.history().model() + "): "
                    + p.label(), new Charts.Line("score", ends(d.windows()), d.scores()), cal.threshold(), events);
            md.append(String.format(Locale.ROOT, "**%s** (%s): %s%n%n![](%s)%n%n", d.history().serial(),
                    d.history().model(), p.label(), name));
        }
        Path report = out.resolve("report.md");
        Files.writeString(report, md.toString());
        return report;
    }

    /**
     * Drives to plot, {@link #SAMPLE} of each outcome that has windows: failed drives caught at least
     * {@link SmartEvaluation#MIN_LEAD_DAYS} ahead (longest lead first), failed drives missed (most
     * windows first), healthy drives alerted (highest score first), healthy drives never alerted (most
     * windows first); ties by serial.
     */
    static List<Pick> plotSample(List<Drive> drives) {
        Comparator<Drive> bySerial = Comparator.comparing(d -> d.history().serial());
        Comparator<Drive> mostWindows = Comparator.<Drive>comparingInt(d -> d.windows().size()).reversed()
                .thenComparing(bySerial);
        List<Drive> scored = drives.stream().filter(d -> !d.windows().isEmpty()).toList();
        List<Pick> picks = new ArrayList<>();
        scored.stream().filter(d -> lead(d) != null && lead(d) >= SmartEvaluation.MIN_LEAD_DAYS)
                .sorted(Comparator.<Drive>comparingLong(d -> lead(d)).reversed().thenComparing(bySerial)).limit(SAMPLE)
                .forEach(d -> picks.add(new Pick(d, "failed " + d.history().failureDate() + ", caught " + lead(d)
                        + " days ahead")));
        scored.stream().filter(d -> d.history().failed() && (lead(d) == null || lead(d) < SmartEvaluation.MIN_LEAD_DAYS))
                .sorted(mostWindows).limit(SAMPLE)
                .forEach(d -> picks.add(new Pick(d, "failed " + d.history().failureDate() + ", missed"
                        + (lead(d) == null ? "" : " (first alert " + lead(d) + " days ahead)"))));
        scored.stream().filter(d -> !d.history().failed() && d.vigilAlert() != null)
                .sorted(Comparator.<Drive>comparingDouble(d -> Arrays.stream(d.scores()).max().orElse(0)).reversed()
                        .thenComparing(bySerial)).limit(SAMPLE)
                .forEach(d -> picks.add(new Pick(d, "healthy, false alarm from " + d.vigilAlert())));
        scored.stream().filter(d -> !d.history().failed() && d.vigilAlert() == null).sorted(mostWindows).limit(SAMPLE)
                .forEach(d -> picks.add(new Pick(d, "healthy, never alerted")));
        return picks;
    }

    private static Long lead(Drive d) {
        return new DriveOutcome(d.history().serial(), d.history().model(), d.history().failureDate(), d.vigilAlert())
                .leadDays();
    }

    private static List<Charts.Line> sweepLines(List<SweepPoint> sweep) {
        double[] x = sweep.stream().mapToDouble(SweepPoint::threshold).toArray();
        return List.of(
                new Charts.Line("recall (>=1 day ahead)", x, sweep.stream().mapToDouble(p -> p.metrics().recall()).toArray()),
                new Charts.Line("precision", x, sweep.stream().mapToDouble(p -> p.metrics().precision()).toArray()),
                new Charts.Line("false-alarm share", x, sweep.stream().mapToDouble(p -> p.metrics().falseAlarmShare())
                        .toArray()));
    }

    /** Where the model's run came from: split, training options and network, or the bundle given. */
    static String settingsText(Result r) {
        BundleMetadata meta = r.bundle().metadata();
        BundleMetadata.TrainingSummary t = meta.training();
        io.vigil.model.AutoencoderSpec spec = meta.spec();
        String model = String.format(Locale.ROOT, "LSTM autoencoder (engine %s; hidden %d, bottleneck %d, learning rate "
                        + "%s, seed %d), trained at most %d epochs (best epoch %d) on %,d windows (cap %s)",
                meta.engine(), spec.hidden(), spec.bottleneck(), spec.learningRate(), spec.seed(), t.epochs(),
                t.bestEpoch(), t.trainWindows(), r.settings().trainer().maxTrainWindows() == 0 ? "none"
                        : String.format(Locale.ROOT, "%,d", r.settings().trainer().maxTrainWindows()));
        return String.format(Locale.ROOT, "Settings: drives split by a CRC32 hash of the serial, test share %s; "
                        + "features %s, window %d, hop %d; model: %s.", r.settings().testShare(),
                meta.features(), meta.window(), meta.hop(), model);
    }

    /** One plain sentence: Vigil against one baseline on catches, healthy drives alerted and precision. */
    static String verdict(String baseline, DriveMetrics vigil, DriveMetrics base) {
        List<String> wins = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        List<String> ties = new ArrayList<>();
        compare("catches", vigil.caught(), base.caught(), wins, losses, ties);
        compare("false alarms", -vigil.falseAlarmShare(), -base.falseAlarmShare(), wins, losses, ties);
        compare("precision", vigil.precision(), base.precision(), wins, losses, ties);
        return String.format(Locale.ROOT, "Against %s: Vigil catches %d of %d failed drives >=1 day ahead, the baseline "
                        + "%d; Vigil alerts %.1f %% of healthy drives, the baseline %.1f %%; precision %.3f against "
                        + "%.3f. Vigil %s.", baseline, vigil.caught(), vigil.failed(), base.caught(),
                100 * vigil.falseAlarmShare(), 100 * base.falseAlarmShare(), vigil.precision(), base.precision(),
                outcome(wins, losses, ties));
    }

    private static void compare(String what, double vigil, double base, List<String> wins, List<String> losses,
                                List<String> ties) {
        (vigil > base ? wins : vigil < base ? losses : ties).add(what);
    }

    private static String outcome(List<String> wins, List<String> losses, List<String> ties) {
        List<String> parts = new ArrayList<>();
        if (!wins.isEmpty()) {
            parts.add("wins on " + String.join(" and ", wins));
        }
        if (!losses.isEmpty()) {
            parts.add("loses on " + String.join(" and ", losses));
        }
        if (!ties.isEmpty()) {
            parts.add("ties on " + String.join(" and ", ties));
        }
        return String.join(", ", parts);
    }

    /**
     * The target Vigil is held to: at least the rule's catches, at most half the rule's share of healthy
     * drives alerted, and precision above "sector count grew"; says which parts fail.
     */
    static String target(DriveMetrics vigil, DriveMetrics rule, DriveMetrics grew) {
        List<String> missed = new ArrayList<>();
        if (vigil.caught() < rule.caught()) {
            missed.add(String.format(Locale.ROOT, "catches %d < the rule's %d", vigil.caught(), rule.caught()));
        }
        if (vigil.falseAlarmShare() > rule.falseAlarmShare() / 2) {
            missed.add(String.format(Locale.ROOT, "healthy drives alerted %.1f %% > half the rule's (%.1f %%)",
                    100 * vigil.falseAlarmShare(), 50 * rule.falseAlarmShare()));
        }
        if (!(vigil.precision() > grew.precision())) {
            missed.add(String.format(Locale.ROOT, "precision %.3f <= \"sector count grew\"'s %.3f", vigil.precision(),
                    grew.precision()));
        }
        return "Target (at least the rule's catches, at most half its share of healthy drives alerted, precision above "
                + "\"sector count grew\"): " + (missed.isEmpty() ? "met." : "not met: " + String.join("; ", missed) + ".");
    }

    static String calibrationText(ThresholdCalibration cal) {
        return cal.devices() > 0
                ? String.format(Locale.ROOT, "about %.1f %% of %d healthy validation drives would raise an alert",
                        100 * (1 - cal.quantile()), cal.devices())
                : String.format(Locale.ROOT, "q%.3f of %d healthy validation windows + %.1f x spread", cal.quantile(),
                        cal.validationWindows(), cal.margin());
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
