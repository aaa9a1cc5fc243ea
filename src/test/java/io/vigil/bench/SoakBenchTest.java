package io.vigil.bench;

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

    @Test
    void theCsvStartsWithTheHeaderAsCommentsAndItsRowsStillParse() {
        // given
        List<SoakBench.Sample> samples = List.of(
                new SoakBench.Sample(0.5, 200 * MB, 900 * MB, 700 * MB, 512, 4 * MB, 120, 18_200, 299),
                new SoakBench.Sample(1, 201 * MB, 901 * MB, 701 * MB, 512, 5 * MB, 121, 37_136, 600));

        // when
        String csv = SoakBench.csv(samples, List.of("vigil bench soak --minutes 1", "machine: m",
                "load average (1, 5, 15 min) before 1 2 3, after 4 5 6"));

        // then
        assertThat(csv).isEqualTo("""
                # vigil bench soak --minutes 1
                # machine: m
                # load average (1, 5, 15 min) before 1 2 3, after 4 5 6
                minutes,heap_bytes,rss_bytes,anonymous_rss_bytes,javacpp_bytes,direct_bytes,threads,windows_scored,dead_lettered
                0.50,209715200,943718400,734003200,512,4194304,120,18200,299
                1.00,210763776,944766976,735051776,512,5242880,121,37136,600
                """);
        List<String[]> rows = csv.lines().filter(line -> !line.startsWith("#")).map(line -> line.split(",")).toList();
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row).hasSize(9));
        assertThat(rows.subList(1, 3)).allSatisfy(row -> assertThat(row).allSatisfy(Double::parseDouble));
    }
}
