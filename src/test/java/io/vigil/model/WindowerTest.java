package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Windower.Outcome;
import io.vigil.model.Windower.Shape;
import io.vigil.kind.SensorKind.BlockStat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one windowing implementation: hop, block reduction, sample policy, persisted state. */
class WindowerTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Shape ONE_FEATURE = new Shape(1, 4, 2, 1, BlockStat.MEAN, 1_000);

    private final List<Window> emitted = new ArrayList<>();

    @Test
    void emitsTheFirstWindowWhenFullThenOneEveryHop() {
        // given
        Windower windower = new Windower(ONE_FEATURE);

        // when: samples 0..9, 10 ms apart
        feed(windower, 0, 10);

        // then
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator().isEqualTo(List.of(
                window(0, 0, 1, 2, 3),
                window(2, 2, 3, 4, 5),
                window(4, 4, 5, 6, 7),
                window(6, 6, 7, 8, 9)));
    }

    @Test
    void reducesBlocksToTheirMean() {
        // given: blocks of 2
        Windower windower = new Windower(new Shape(1, 2, 1, 2, BlockStat.MEAN, 1_000));

        // when: raw 1, 3, 5, 7
        for (int i = 0; i < 4; i++) {
            windower.add(ts(i), new double[] {2 * i + 1}, emitted::add);
        }

        // then: one window of the block means, timed at each block's first sample
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(List.of(new Window(ts(0), ts(2), new float[][] {{2, 6}})));
    }

    @Test
    void reducesBlocksToTheirRmsAroundTheMean() {
        // given
        Windower windower = new Windower(new Shape(1, 2, 1, 2, BlockStat.RMS, 1_000));

        // when: raw 1, 3 (mean 2, rms 1), then 10, 10 (rms 0)
        double[] raw = {1, 3, 10, 10};
        for (int i = 0; i < raw.length; i++) {
            windower.add(ts(i), new double[] {raw[i]}, emitted::add);
        }

        // then
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(List.of(new Window(ts(0), ts(2), new float[][] {{1, 0}})));
    }

    @Test
    void dropsDuplicateAndLateSamples() {
        // given
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 0, 3);

        // when
        Outcome duplicate = windower.add(ts(2), new double[] {99}, emitted::add);
        Outcome late = windower.add(ts(1), new double[] {99}, emitted::add);
        feed(windower, 3, 4);

        // then: the window holds only the originals
        assertThat(List.of(duplicate, late)).isEqualTo(List.of(Outcome.DUPLICATE, Outcome.LATE));
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator().isEqualTo(List.of(window(0, 0, 1, 2, 3)));
    }

    @Test
    void aGapLongerThanMaxGapEmptiesTheRing() {
        // given: three samples, then a 2 s silence (max gap 1 s)
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 0, 3);

        // when
        Outcome afterGap = windower.add(ts(200), new double[] {200}, emitted::add);
        for (int i = 201; i < 204; i++) {
            windower.add(ts(i), new double[] {i}, emitted::add);
        }

        // then: no window spans the gap; the first one starts after it
        assertThat(afterGap).isEqualTo(Outcome.GAP_RESET);
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(List.of(window(200, 200, 201, 202, 203)));
    }

    @Test
    void stateRoundTripsThroughBytesMidStream() {
        // given: a 3-feature windower mid-block and mid-hop
        Shape shape = new Shape(3, 4, 3, 2, BlockStat.RMS, 1_000);
        Windower original = new Windower(shape);
        List<Window> fromOriginal = new ArrayList<>();
        List<Window> fromRestored = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            original.add(ts(i), new double[] {i, i * i, -i}, fromOriginal::add);
        }

        // when
        Windower restored = Windower.fromBytes(shape, original.toBytes());
        for (int i = 11; i < 40; i++) {
            original.add(ts(i), new double[] {i, i * i, -i}, fromOriginal::add);
            restored.add(ts(i), new double[] {i, i * i, -i}, fromRestored::add);
        }

        // then
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());
        assertThat(fromRestored).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(fromOriginal.subList(fromOriginal.size() - fromRestored.size(), fromOriginal.size()))
                .hasSize(5);
    }

    @Test
    void aSampleBackInsideAJumpNoWindowConfirmedRestartsTheRingAndOlderSamplesStayLate() {
        // given windows up to sample 5, then one sample stamped 50 minutes ahead
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 0, 6);
        long ahead = ts(6) + 3_000_000;

        // when the device's clock is right again from sample 6 on, then samples 3 (late) and 9 (duplicate) again
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(windower.add(ahead, new double[] {99}, emitted::add));
        for (int i = 6; i < 10; i++) {
            outcomes.add(windower.add(ts(i), new double[] {i}, emitted::add));
        }
        outcomes.add(windower.add(ts(3), new double[] {3}, emitted::add));
        outcomes.add(windower.add(ts(9), new double[] {9}, emitted::add));

        // then the ring restarts at sample 6 and cuts its first window at sample 9; the bad value is in none
        assertThat(outcomes).containsExactly(Outcome.GAP_RESET, Outcome.CLOCK_RESET, Outcome.ACCEPTED,
                Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.LATE, Outcome.DUPLICATE);
        assertThat(emitted).usingRecursiveFieldByFieldElementComparator().isEqualTo(List.of(
                window(0, 0, 1, 2, 3), window(2, 2, 3, 4, 5), window(6, 6, 7, 8, 9)));
    }

    @Test
    void aJumpConfirmedByAWindowIsTheDevicesTimeAndOlderSamplesAreLate() {
        // given a jump forward by an hour, followed by a whole window of samples on the new clock
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 0, 4);
        feed(windower, 360_000, 360_004);

        // when a sample on the old clock comes
        Outcome outcome = windower.add(ts(4), new double[] {4}, emitted::add);

        // then it is late: nothing older than the confirmed jump restarts the ring
        assertThat(outcome).isEqualTo(Outcome.LATE);
        assertThat(emitted).hasSize(2);
    }

    @Test
    void aSmallStepBackIsLateEvenBeforeTheFirstWindow() {
        // given a new device's first samples
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 10, 12);

        // when one comes 20 ms back (less than a gap): out of order, not a clock fault
        Outcome outcome = windower.add(ts(9), new double[] {9}, emitted::add);

        // then
        assertThat(outcome).isEqualTo(Outcome.LATE);
    }

    @Test
    void anOpenJumpSurvivesTheStateStore() {
        // given a windower that has just seen a sample an hour ahead, stored and restored
        Windower windower = new Windower(ONE_FEATURE);
        feed(windower, 0, 6);
        windower.add(ts(6) + 3_600_000, new double[] {99}, emitted::add);
        Windower restored = Windower.fromBytes(ONE_FEATURE, windower.toBytes());

        // when the next good sample comes
        Outcome outcome = restored.add(ts(6), new double[] {6}, emitted::add);

        // then the restored state still knows the jump is unconfirmed
        assertThat(outcome).isEqualTo(Outcome.CLOCK_RESET);
    }

    private void feed(Windower windower, int from, int to) {
        for (int i = from; i < to; i++) {
            windower.add(ts(i), new double[] {i}, emitted::add);
        }
    }

    private static long ts(int sample) {
        return T0 + 10L * sample;
    }

    private static Window window(int first, float... values) {
        return new Window(ts(first), ts(first + values.length - 1), new float[][] {values});
    }
}
