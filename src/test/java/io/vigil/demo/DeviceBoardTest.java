package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.bench.PipelineBench;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.AlertEvent.Severity;
import io.vigil.stream.AlertEvent.State;
import io.vigil.stream.ScoreEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceBoardTest {

    static final Map<String, Double> SHARES = Map.of("x", 0.1, "y", 0.2, "z", 0.7);

    @Test
    void foldsScoresAndOneAlertEpisodeIntoTheLatestRowPerDevice() {
        // given
        DeviceBoard board = new DeviceBoard();

        // when b-1 scores, b-2 scores, b-2 is raised and scores again, then b-1's later score arrives
        board.score(score("b-1", 1_000, 0.1), 0);
        board.score(score("b-2", 1_000, 0.2), 0);
        board.alert(alert("b-2", State.RAISED, 1_500, 2_400));
        board.score(score("b-2", 2_600, 9.0), 0);
        board.score(score("b-1", 2_600, 0.3), 0);

        // then
        assertThat(board.rows()).containsExactly(
                new DeviceBoard.Row("b-1", 0.3, 1.0, 2_600, DeviceBoard.Status.NORMAL, 360, null, null, 0),
                new DeviceBoard.Row("b-2", 9.0, 1.0, 2_600, DeviceBoard.Status.ALERT, 1_500, Severity.CRITICAL, "z", 0.7));
        assertThat(board.alerting()).isEqualTo(1);
    }

    @Test
    void clearedAlertReturnsTheDeviceToNormalSinceItsLastAnomalousWindow() {
        // given a raised device
        DeviceBoard board = new DeviceBoard();
        board.score(score("b-2", 1_000, 0.2), 0);
        board.alert(alert("b-2", State.RAISED, 1_500, 2_400));

        // when it clears
        board.alert(alert("b-2", State.CLEARED, 1_500, 5_000));

        // then
        assertThat(board.rows()).containsExactly(
                new DeviceBoard.Row("b-2", 0.2, 1.0, 1_000, DeviceBoard.Status.NORMAL, 5_000, null, null, 0));
        assertThat(board.alerting()).isZero();
    }

    @Test
    void alertLineNamesStateDeviceSeverityPeakAndAxesWorstFirst() {
        String line = ConsoleView.alertLine(alert("bearing-07", State.RAISED, 1_500, 2_400));

        assertThat(line).contains("RAISED  bearing-07", "CRITICAL", "peak 5.00000 (5.0x threshold 1.00000)",
                "axes: z 70%, y 20%, x 10%");
    }

    @Test
    void windowsPerDeviceCountsTheFirstFullWindowThenOnePerHop() {
        var vibration = io.vigil.kind.SensorKindLoader.load(io.vigil.kind.SensorKindLoader.DEFAULT_DIR, "vibration"); // window 64, hop 16
        assertThat(List.of(63L, 64L, 79L, 80L, 6000L).stream()
                .map(n -> PipelineBench.windowsPerDevice(n, vibration)).toList())
                .containsExactly(0L, 1L, 1L, 2L, 372L);
    }

    private static ScoreEvent score(String device, long windowEnd, double score) {
        return new ScoreEvent(device, "vibration", windowEnd - 640, windowEnd, score, 1.0, "v1", SHARES);
    }

    private static AlertEvent alert(String device, State state, long firstStart, long lastEnd) {
        return new AlertEvent(device + "@" + firstStart, device, "vibration", state, Severity.CRITICAL, 5.0, 1.0,
                firstStart, lastEnd, SHARES, "v1", lastEnd + 100);
    }
}
