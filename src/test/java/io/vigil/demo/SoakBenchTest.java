package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakBenchTest {

    static final long MB = 1 << 20;

    @Test
    void growthIsTheSlopeAfterTheWarmUpInMegabytesPerHour() {
        // given: heap that jumps during warm-up, then grows 1 MB a minute; everything else flat
        List<SoakBench.Sample> samples = new ArrayList<>();
        for (int minute = 0; minute <= 10; minute++) {
            long heap = minute < 2 ? 50 * MB * minute : 200 * MB + minute * MB;
            samples.add(new SoakBench.Sample(minute, heap, 900 * MB, 700 * MB, 0, 8 * MB, 60, minute * 1000L, minute * 10L));
        }

        // when
        SoakBench.Growth growth = SoakBench.growth(samples);

        // then
        assertThat(growth.heap()).isCloseTo(60.0, within(1e-9));
        assertThat(List.of(growth.rss(), growth.anonymous(), growth.javacpp(), growth.direct(), growth.threads()))
                .containsExactly(0.0, 0.0, 0.0, 0.0, 0.0);
    }
}
