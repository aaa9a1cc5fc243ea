package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LiveBoardTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveBoard board = new LiveBoard(registry, 2);

    @Test
    void eachTrackedDeviceHasScoreThresholdAndAlertSeries() {
        // given
        board.scored("vibration", "bearing-01", 0.4, 1.5, 10_000, 10_100);

        // when an alert is raised, then the device is scored again
        board.alert("vibration", "bearing-01", true, note("RAISED", 10_200));
        board.scored("vibration", "bearing-01", 4.0, 1.5, 10_160, 10_300);

        // then
        assertThat(gauge(LiveBoard.DEVICE_SCORE, "bearing-01")).isEqualTo(4.0);
        assertThat(gauge(LiveBoard.DEVICE_THRESHOLD, "bearing-01")).isEqualTo(1.5);
        assertThat(gauge(LiveBoard.DEVICE_ALERT, "bearing-01")).isEqualTo(1.0);
        assertThat(board.devices()).containsExactly(new LiveBoard.DeviceState("vibration", "bearing-01", 4.0, 1.5,
                true, 10_200, 10_160, 10_300));
    }

    @Test
    void lastScoredIsTheWallClockTimeOfTheLatestScoreInSecondsAndNaNBeforeAny() {
        // given devices whose open episodes were restored before any of their windows was scored here
        board.alertState("vibration", "bearing-01", true, 4_000);
        board.alertState("vibration", "bearing-02", true, 4_000);
        assertThat(gauge(LiveBoard.DEVICE_LAST_SCORED, "bearing-01")).isNaN();

        // when bearing-01 is scored twice (the second window's sensor time earlier than the first's)
        board.scored("vibration", "bearing-01", 0.4, 1.5, 10_000, 12_250);
        board.scored("vibration", "bearing-01", 0.4, 1.5, 9_000, 13_500);

        // then its series holds the wall-clock time of the latest score, in seconds, named as Prometheus expects
        assertThat(gauge(LiveBoard.DEVICE_LAST_SCORED, "bearing-01")).isEqualTo(13.5);
        assertThat(gauge(LiveBoard.DEVICE_LAST_SCORED, "bearing-02")).isNaN();
        assertThat(registry.get(LiveBoard.DEVICE_LAST_SCORED).gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void clearingEndsTheAlertState() {
        board.scored("vibration", "bearing-01", 4.0, 1.5, 10_000, 10_100);
        board.alert("vibration", "bearing-01", true, note("RAISED", 10_200));

        board.alert("vibration", "bearing-01", false, note("CLEARED", 12_000));

        assertThat(gauge(LiveBoard.DEVICE_ALERT, "bearing-01")).isEqualTo(0.0);
        assertThat(board.devices().get(0).alertSinceMs()).isZero();
        assertThat(board.recentAlerts()).extracting(LiveBoard.AlertNote::state).containsExactly("CLEARED", "RAISED");
    }

    @Test
    void aDiscardingBoardKeepsNothing() {
        // given the board a detector's own processors feed while its fleet view feeds the real one
        LiveBoard discarding = LiveBoard.discarding();

        // when
        discarding.scored("vibration", "bearing-01", 4.0, 1.5, 10_000, 10_100);
        discarding.alert("vibration", "bearing-01", true, note("RAISED", 10_200));
        discarding.alertState("vibration", "bearing-02", true, 4_000);

        // then
        assertThat(discarding.devices()).isEmpty();
        assertThat(discarding.recentAlerts()).isEmpty();
        assertThat(discarding.devicesOverCap()).isZero();
    }

    @Test
    void devicesBeyondTheCapGetNoSeriesAndAreCountedOnce() {
        board.scored("vibration", "bearing-01", 1, 1, 0, 0);
        board.scored("vibration", "bearing-02", 1, 1, 0, 0);

        board.scored("vibration", "bearing-03", 1, 1, 0, 0);
        board.scored("vibration", "bearing-03", 2, 1, 0, 0);
        board.alert("vibration", "bearing-04", true, note("RAISED", 0));

        assertThat(registry.find(LiveBoard.DEVICE_SCORE).gauges()).hasSize(2);
        assertThat(registry.get(LiveBoard.DEVICES_OVER_CAP).gauge().value()).isEqualTo(2.0);
        assertThat(board.devices()).extracting(LiveBoard.DeviceState::device).containsExactly("bearing-01", "bearing-02");
        assertThat(board.recentAlerts()).hasSize(1); // alerts of untracked devices are still listed
    }

    @Test
    void recentAlertsKeepTheLatestFifty() {
        for (int i = 0; i < 60; i++) {
            board.alert("vibration", "bearing-01", i % 2 == 0, note(i % 2 == 0 ? "RAISED" : "CLEARED", i));
        }

        assertThat(board.recentAlerts()).hasSize(LiveBoard.RECENT_ALERTS);
        assertThat(board.recentAlerts().get(0).atMs()).isEqualTo(59);
    }

    private double gauge(String name, String device) {
        return registry.get(name).tags(LiveBoard.TAG_KIND, "vibration", LiveBoard.TAG_DEVICE, device).gauge().value();
    }

    private static LiveBoard.AlertNote note(String state, long atMs) {
        return new LiveBoard.AlertNote("vibration", "bearing-01", "bearing-01@0", state, "WARNING", 4.0, 1.5, atMs);
    }
}
