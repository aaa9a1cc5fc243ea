package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.evaluate.SmartEvaluation.Drive;
import io.vigil.model.Window;
import io.vigil.replay.DriveHistory;
import io.vigil.replay.SmartReadings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/** Which drives the SMART report plots, and what a score plot shows. */
class SmartReportTest {

    static final LocalDate FIRST = LocalDate.of(2013, 4, 10);

    @Test
    void plotSamplePicksEachOutcomeInItsOwnOrder() {
        // given drives of every outcome, more of each than the sample holds
        List<Drive> drives = List.of(
                drive("CAUGHT-5", "2013-05-01", 20, "2013-04-26", 20),
                drive("CAUGHT-23", "2013-05-08", 25, "2013-04-15", 20),
                drive("CAUGHT-9", "2013-05-08", 25, "2013-04-29", 20),
                drive("CAUGHT-2", "2013-05-08", 25, "2013-05-06", 20),
                drive("MISSED-SAME-DAY", "2013-04-25", 12, "2013-04-25", 20),
                drive("MISSED-LONG", "2013-05-17", 34, null, 1),
                drive("MISSED-SHORT", "2013-04-16", 2, null, 1),
                drive("MISSED-NONE", "2013-04-14", 0, null, 1),
                drive("MISSED-MID", "2013-05-01", 18, null, 1),
                drive("ALARM-LOW", null, 30, "2013-04-20", 15),
                drive("ALARM-HIGH", null, 30, "2013-04-22", 900),
                drive("ALARM-MID", null, 30, "2013-04-21", 40),
                drive("ALARM-TINY", null, 30, "2013-04-21", 14.7),
                drive("QUIET-B", null, 36, null, 1),
                drive("QUIET-A", null, 36, null, 1),
                drive("QUIET-SHORT", null, 3, null, 1),
                drive("QUIET-C", null, 36, null, 1));

        // when
        List<String> picks = SmartReport.plotSample(drives).stream()
                .map(p -> p.drive().history().serial() + ": " + p.label()).toList();

        // then
        assertThat(picks).containsExactly(
                "CAUGHT-23: failed 2013-05-08, caught 23 days ahead",
                "CAUGHT-9: failed 2013-05-08, caught 9 days ahead",
                "CAUGHT-5: failed 2013-05-01, caught 5 days ahead",
                "MISSED-LONG: failed 2013-05-17, missed",
                "MISSED-MID: failed 2013-05-01, missed",
                "MISSED-SAME-DAY: failed 2013-04-25, missed (first alert 0 days ahead)",
                "ALARM-HIGH: healthy, false alarm from 2013-04-22",
                "ALARM-MID: healthy, false alarm from 2013-04-21",
                "ALARM-LOW: healthy, false alarm from 2013-04-20",
                "QUIET-A: healthy, never alerted",
                "QUIET-B: healthy, never alerted",
                "QUIET-C: healthy, never alerted");
    }

    @Test
    void scorePlotReachesTheThresholdAndNamesEverySeriesAndEvent() {
        // given scores far below the threshold and a failure after the last window
        double[] days = {day("2013-04-14"), day("2013-04-15"), day("2013-04-16")};
        Charts.Line score = new Charts.Line("score", days, new double[] {0.05, 0.2, 0.1});

        // when
        XYPlot plot = Charts.scoreOverTime(score, 14.66, List.of(
                new Charts.Event("first alert", (long) day("2013-04-15"), false),
                new Charts.Event("failure day", (long) day("2013-04-19"), true)));

        // then the threshold and the failure day are inside the axes and every line is in the legend
        assertThat(plot.getRangeAxis().getRange().contains(14.66)).isTrue();
        assertThat(plot.getRangeAxis().getRange().contains(0.05)).isTrue();
        assertThat(plot.getDomainAxis().getRange().contains(day("2013-04-19"))).isTrue();
        var legend = plot.getLegendItems();
        assertThat(IntStream.range(0, legend.getItemCount()).mapToObj(i -> legend.get(i).getLabel()))
                .containsExactly("score", "threshold 14.66", "first alert", "failure day");
    }

    @Test
    void perModelCountsHealthyDrivesBothDetectorsAlertedOn() {
        // given healthy drives alerted by Vigil only, by the rule only, by both, by neither; one caught failure
        List<Drive> drives = List.of(
                withRule(drive("A", null, 5, "2013-04-20", 20), "2013-04-14"),
                withRule(drive("B", null, 5, "2013-04-20", 20), null),
                withRule(drive("C", null, 5, null, 1), "2013-04-14"),
                withRule(drive("D", null, 5, null, 1), null),
                withRule(drive("E", "2013-05-01", 5, "2013-04-20", 20), "2013-04-14"));

        // when
        var rows = SmartEvaluation.perModel(drives);

        // then: failed, caught Vigil, caught rule, healthy, alerted Vigil, alerted rule, alerted both
        assertThat(rows).containsOnlyKeys("ST31500541AS");
        assertThat(rows.get("ST31500541AS")).containsExactly(1, 1, 1, 4, 2, 2, 1);
    }

    @Test
    void verdictAndTargetSayPlainlyWhereVigilWinsAndLoses() {
        // given Vigil with the rule's catches at fewer false alarms, and a "grew" rule with better precision
        DriveMetrics vigil = new DriveMetrics(1, 30, 18, 5744, 334, 18);
        DriveMetrics rule = new DriveMetrics(1, 30, 18, 5744, 502, 18);
        DriveMetrics grew = new DriveMetrics(1, 30, 16, 5744, 191, 10);

        // then
        assertThat(SmartReport.verdict("Backblaze's rule", vigil, rule)).isEqualTo("Against Backblaze's rule: Vigil "
                + "catches 18 of 30 failed drives >=1 day ahead, the baseline 18; Vigil alerts 5.8 % of healthy drives, "
                + "the baseline 8.7 %; precision 0.051 against 0.035. Vigil wins on false alarms and precision, ties on "
                + "catches.");
        assertThat(SmartReport.verdict("grew", vigil, grew)).endsWith("Vigil wins on catches, loses on false alarms "
                + "and precision.");
        assertThat(SmartReport.target(vigil, rule, grew)).isEqualTo("Target (at least the rule's catches, at most "
                + "half its share of healthy drives alerted, precision above \"sector count grew\"): not met: healthy "
                + "drives alerted 5.8 % > half the rule's (4.4 %); precision 0.051 <= \"sector count grew\"'s 0.077.");
        assertThat(SmartReport.target(new DriveMetrics(1, 30, 18, 5744, 200, 18), rule, grew)).endsWith("met.")
                .doesNotContain("not met");
    }

    private static Drive withRule(Drive d, String ruleAlert) {
        LocalDate rule = ruleAlert == null ? null : LocalDate.parse(ruleAlert);
        return new Drive(d.history(), d.windows(), d.scores(), d.vigilAlert(), rule, rule, null, null);
    }

    private static double day(String date) {
        return LocalDate.parse(date).toEpochDay() * (double) SmartReadings.DAY_MS;
    }

    /** A drive with {@code windows} daily windows ending on consecutive days from {@link #FIRST}, each scored {@code score}. */
    private static Drive drive(String serial, String failure, int windows, String alert, double score) {
        DriveHistory h = new DriveHistory(serial, "ST31500541AS", 0, new int[0], new float[0], 0,
                failure == null ? null : LocalDate.parse(failure));
        List<Window> ws = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            long end = FIRST.plusDays(i).toEpochDay() * SmartReadings.DAY_MS;
            ws.add(new Window(end - 4 * SmartReadings.DAY_MS, end, new float[1][1]));
        }
        double[] scores = IntStream.range(0, windows).mapToDouble(i -> score).toArray();
        return new Drive(h, ws, scores, alert == null ? null : LocalDate.parse(alert), null, null, null, null);
    }
}
