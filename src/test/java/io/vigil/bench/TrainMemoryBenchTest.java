package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.reading.DeviceSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training-memory bench's arithmetic and data; the RSS figures themselves belong in the bench's report. */
class TrainMemoryBenchTest {

    private static final long MB = 1 << 20;

    @Test
    void theSlopeIsFittedFromEpochTwoOnLeavingTheWarmUpOut() {
        // given: 10 MB before, a 500 MB first epoch, then 2 MB per epoch
        long[] rss = {10, 500, 100, 102, 104, 106};
        List<TrainMemoryBench.Sample> samples = new ArrayList<>();
        for (int epoch = 0; epoch < rss.length; epoch++) {
            samples.add(new TrainMemoryBench.Sample(epoch, epoch, 0, 0, rss[epoch] * MB, 0));
        }
        TrainMemoryBench.Result result = new TrainMemoryBench.Result(
                new TrainMemoryBench.Settings(5, 1, 200, 64, 1, 1), 100, 20, samples);

        // then: the line through epochs 2..5 (the numbers are exact in binary, so only rounding of the sums)
        assertThat(result.rssSlopeMbPerEpoch()).isCloseTo(2.0, within(1e-9));
        assertThat(result.maxRssBytes()).isEqualTo(500 * MB);
    }

    @Test
    void theRecordingHasEightSensorsPerDeviceAndIsTheSameForTheSameSeed() {
        // given
        TrainMemoryBench.Settings settings = new TrainMemoryBench.Settings(1, 3, 300, 64, 1, 7);

        // when
        List<DeviceSeries> first = TrainMemoryBench.recording(settings);
        List<DeviceSeries> again = TrainMemoryBench.recording(settings);

        // then
        assertThat(first).extracting(DeviceSeries::device).containsExactly("pump-00", "pump-01", "pump-02");
        assertThat(first).allSatisfy(d -> {
            assertThat(d.size()).isEqualTo(300);
            assertThat(d.values()[0]).hasSize(TrainMemoryBench.FEATURES.size());
            assertThat(d.labelled()).isFalse();
        });
        for (int d = 0; d < first.size(); d++) {
            assertThat(first.get(d).values()).isDeepEqualTo(again.get(d).values());
        }
        assertThat(Arrays.deepEquals(first.get(0).values(), first.get(1).values())).as("devices differ").isFalse();
    }
}
