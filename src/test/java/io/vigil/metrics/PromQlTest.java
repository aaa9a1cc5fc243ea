package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void histogramQuantileOverARateNamesTheBucketSeries() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, kind) "
                + "(rate(vigil_detector_scoring_latency_seconds_bucket{kind=~\"$kind\"}[$__rate_interval])))"))
                .containsExactly("vigil_detector_scoring_latency_seconds_bucket");
    }

    @Test
    void binaryExpressionsWithMatchingClausesNameBothSides() {
        assertThat(PromQl.metricNames("vigil_device_score / on(kind, device) group_left vigil_device_threshold > 1"))
                .containsExactly("vigil_device_score", "vigil_device_threshold");
    }

    @Test
    void numbersDurationsStringsAndKeywordsAreNotMetrics() {
        assertThat(PromQl.metricNames("sum(increase(a_total{reason!=\"x y\"}[5m] offset 1h)) or vector(0) * 1e3"))
                .containsExactly("a_total");
    }

    @Test
    void sampleNamesComeFromTheScrapeLines() {
        String scrape = """
                # HELP a_total x
                # TYPE a_total counter
                a_total{kind="v"} 1.0
                b 2
                """;
        assertThat(PromQl.sampleNames(scrape)).containsExactly("a_total", "b");
    }

    @Test
    void groupingLabelsAreThoseOfEveryByClause() {
        assertThat(PromQl.groupingLabels("sum by (kind) (rate(a_total[5m])) / sum by(kind, le) (b) "
                + "/ on(device) c{x=\"by (no)\"} without (job)"))
                .containsExactly("kind", "le");
    }

    @Test
    void labelNamesComeFromEverySeriesOfASample() {
        String scrape = """
                # HELP a_total x
                a_total{kind="v",note="a=\\"b\\", c"} 1.0
                a_total{kind="w",reason="bad"} 1.0
                b 2
                """;
        assertThat(PromQl.labelNames(scrape)).isEqualTo(Map.of(
                "a_total", Set.of("kind", "note", "reason"),
                "b", Set.of()));
    }
}
