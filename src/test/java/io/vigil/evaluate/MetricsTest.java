package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static LocalDate day(int d) {
        return LocalDate.of(2013, 5, d);
    }

    @Test
    void driveMetricsOnAHandBuiltFleet() {
        // given 4 failed drives (caught 3 and 1 days ahead, flagged on the failure day, missed)
        // and 4 healthy drives, one of them alerted
        List<DriveOutcome> outcomes = List.of(
                new DriveOutcome("f1", "m", day(10), day(7)),
                new DriveOutcome("f2", "m", day(10), day(9)),
                new DriveOutcome("f3", "m", day(10), day(10)),
                new DriveOutcome("f4", "m", day(10), null),
                new DriveOutcome("h1", "m", null, day(3)),
                new DriveOutcome("h2", "m", null, null),
                new DriveOutcome("h3", "m", null, null),
                new DriveOutcome("h4", "m", null, null));

        // when
        DriveMetrics m = DriveMetrics.of(outcomes, 1);

        // then
        assertThat(m).isEqualTo(new DriveMetrics(1, 4, 2, 4, 1, 2.0));
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.falseAlarmShare()).isEqualTo(0.25);
        assertThat(m.precision()).isEqualTo(2.0 / 3);
    }

    @Test
    void noCaughtDriveMeansNoMedianLead() {
        DriveMetrics m = DriveMetrics.of(List.of(new DriveOutcome("f", "m", day(2), null)), 1);
        assertThat(m.medianLeadDays()).isNaN();
        assertThat(m.precision()).isNaN();
        assertThat(m.recall()).isZero();
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(DriveMetrics.median(List.of(5L, 1L, 3L))).isEqualTo(3.0);
        assertThat(DriveMetrics.median(List.of(4L, 1L, 3L, 10L))).isEqualTo(3.5);
    }

    @Test
    void rocAucKnownAnswers() {
        // perfect separation
        assertThat(BinaryMetrics.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1})).isEqualTo(1.0);
        // reversed
        assertThat(BinaryMetrics.rocAuc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1})).isEqualTo(0.0);
        // pairs (pos, neg): (0.35>0.1) (0.35>0.4? no) (0.8>0.1) (0.8>0.4) -> 3 of 4
        assertThat(BinaryMetrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1})).isEqualTo(0.75);
        // all tied: one half
        assertThat(BinaryMetrics.rocAuc(new double[] {1, 1, 1}, new int[] {0, 1, 0})).isEqualTo(0.5);
        // one class only
        assertThat(BinaryMetrics.rocAuc(new double[] {1, 2}, new int[] {1, 1})).isNaN();
    }

    @Test
    void confusionCountsPrecisionRecallF1AtAThreshold() {
        // scores above 0.5 are positives; equal to the threshold is not (as in the stream)
        BinaryMetrics m = BinaryMetrics.at(new double[] {0.9, 0.6, 0.5, 0.2, 0.7, 0.1},
                new int[] {1, 1, 1, 1, 0, 0}, 0.5);
        assertThat(m).isEqualTo(new BinaryMetrics(2, 1, 1, 2));
        assertThat(m.precision()).isEqualTo(2.0 / 3);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.f1()).isCloseTo(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), within(1e-12));
    }

    @Test
    void driveSplitIsStableAndNearTheShare() {
        DriveSplit split = new DriveSplit(0.5);
        long test = java.util.stream.IntStream.range(0, 10_000).filter(i -> split.isTest("S" + i)).count();
        assertThat(test).isBetween(4_800L, 5_200L);
        assertThat(split.isTest("MJ0351YNG9Z0XA")).isEqualTo(new DriveSplit(0.5).isTest("MJ0351YNG9Z0XA"));
    }
}
