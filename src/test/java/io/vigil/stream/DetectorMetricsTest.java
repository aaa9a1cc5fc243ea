package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.metrics.LiveBoard;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detector's meters as Prometheus exports them: the names the dashboards query. */
class DetectorMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LiveBoard board = new LiveBoard(registry, 10);
    private final DetectorMetrics.Kind meters = new DetectorMetrics(registry, board).forKind("vibration");

    @Test
    void modelVersionIsAnInfoGaugeAndANewVersionReplacesTheOld() {
        meters.modelLoaded("m-1");
        meters.modelLoaded("m-2");

        assertThat(registry.scrape())
                .contains("vigil_model_info{kind=\"vibration\",version=\"m-2\"} 1")
                .doesNotContain("version=\"m-1\"");
    }

    @Test
    void aScoredWindowFeedsLatencyScoreRatioAndTheLiveBoard() {
        // given a window that ended 250 ms before its score was published, at twice the threshold
        meters.deviceSeen("bearing-01");
        meters.windowScored("bearing-01", 3.0, 1.5, 10_000, 10_250);

        // then
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("vigil_detector_end_to_end_latency_seconds_count{kind=\"vibration\"} 1")
                .contains("vigil_detector_end_to_end_latency_seconds_sum{kind=\"vibration\"} 0.25")
                .contains("vigil_detector_score_ratio_bucket{kind=\"vibration\",le=\"1.5\"} 0")
                .contains("vigil_detector_score_ratio_bucket{kind=\"vibration\",le=\"2.0\"} 1")
                .contains("vigil_detector_devices_seen{kind=\"vibration\"} 1")
                .contains("vigil_device_score{device=\"bearing-01\",kind=\"vibration\"} 3");
        assertThat(board.devices()).hasSize(1);
    }

    @Test
    void alertEventsReachTheBoard() {
        meters.windowScored("bearing-01", 3.0, 1.5, 10_000, 10_250);

        meters.alertChanged(new AlertEvent("bearing-01@9360", "bearing-01", "vibration", AlertEvent.State.RAISED,
                AlertEvent.Severity.CRITICAL, 3.0, 1.5, 9_360, 10_000, Map.of("x", 1.0), "m-1", 10_300));

        assertThat(board.devices().get(0).alert()).isTrue();
        assertThat(board.recentAlerts()).extracting(LiveBoard.AlertNote::alertId).containsExactly("bearing-01@9360");
    }
}
