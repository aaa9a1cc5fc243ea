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

    @Test
    void everyDropResetAndDeadLetterSeriesExistsAtZeroBeforeAnythingHappened() {
        // given the meters of a kind that has seen nothing yet

        // then dashboards find a series for every reason, at 0, and no alert is active
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("vigil_detector_samples_dropped_total{kind=\"vibration\",reason=\"duplicate\"} 0.0")
                .contains("vigil_detector_samples_dropped_total{kind=\"vibration\",reason=\"late\"} 0.0")
                .contains("vigil_detector_window_resets_total{kind=\"vibration\",reason=\"gap\"} 0.0")
                .contains("vigil_detector_window_resets_total{kind=\"vibration\",reason=\"clock\"} 0.0")
                .contains("vigil_detector_scores_overflowed_total{kind=\"vibration\"} 0.0")
                .contains("vigil_detector_alerts_active{kind=\"vibration\"} 0.0");
        for (ReadingParser.Reason reason : ReadingParser.Reason.values()) {
            assertThat(scrape).contains("vigil_detector_records_deadlettered_total{kind=\"vibration\",reason=\""
                    + reason.tag() + "\"} 0.0");
        }
    }

    @Test
    void openEpisodesAreCountedPerTaskAndATaskStartingAgainReplacesWhatItCounted() {
        // given a task that raised two episodes
        meters.raised("0_1", "bearing-01");
        meters.raised("0_1", "bearing-02");

        // when the task starts again from its store (one still open there), and another task adopts one
        meters.adoptEpisodes("0_1", Map.of("bearing-01", 9_360L));
        meters.adoptEpisodes("0_2", Map.of("bearing-03", 1_000L));

        // then each open episode is counted once and shown in alert, since the start of its first window
        assertThat(registry.get(DetectorMetrics.ALERTS_ACTIVE).gauge().value()).isEqualTo(2);
        assertThat(board.devices()).extracting(LiveBoard.DeviceState::device, LiveBoard.DeviceState::alert,
                LiveBoard.DeviceState::alertSinceMs).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bearing-01", true, 9_360L),
                org.assertj.core.groups.Tuple.tuple("bearing-03", true, 1_000L));

        // and when task 0_2 moves to another process, its episode is that process's to count and show
        meters.releaseEpisodes("0_2");
        assertThat(registry.get(DetectorMetrics.ALERTS_ACTIVE).gauge().value()).isEqualTo(1);
        assertThat(board.devices()).filteredOn(LiveBoard.DeviceState::alert).extracting(LiveBoard.DeviceState::device)
                .containsExactly("bearing-01");
    }
}
