package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.stream.AlertEvent.Severity;
import io.vigil.stream.AlertEvent.State;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert lifecycle on its own: a run of scores in, the alert events out. */
class AlertStateTest {

    private static final AlertPolicy POLICY = new AlertPolicy(null, 2, 3);
    private static final double THRESHOLD = 1.0;

    @Test
    void raisesAfterRaiseAfterWindowsAndClearsAfterClearAfter() {
        // when: over, over (raise), under, over (resets the under run), under x3 (clear)
        List<AlertEvent> events = run(1.5, 1.2, 0.5, 1.1, 0.5, 0.5, 0.5);

        // then
        Map<String, Double> shares = Map.of("x", 1.0, "y", 0.0);
        assertThat(events).isEqualTo(List.of(
                new AlertEvent("d@0", "d", "k", State.RAISED, Severity.WARNING, 1.5, THRESHOLD, 0, 110, shares, "v", 1),
                new AlertEvent("d@0", "d", "k", State.CLEARED, Severity.WARNING, 1.5, THRESHOLD, 0, 310, shares, "v",
                        6)));
    }

    @Test
    void anUnderWindowBeforeRaisingForgetsTheRun() {
        // when
        List<AlertEvent> events = run(1.5, 0.5, 1.5, 0.5, 1.5);

        // then
        assertThat(events).isEqualTo(List.of());
    }

    @Test
    void aPeakOfTwiceTheThresholdIsCriticalForTheWholeEpisode() {
        // when: raised as WARNING, then the peak doubles the threshold, then clears
        List<AlertEvent> events = run(1.5, 1.5, 2.0, 0.1, 0.1, 0.1);

        // then
        assertThat(events).extracting(AlertEvent::state, AlertEvent::severity, AlertEvent::peakScore)
                .containsExactly(
                        tuple(State.RAISED, Severity.WARNING, 1.5),
                        tuple(State.CLEARED, Severity.CRITICAL, 2.0));
    }

    @Test
    void aNewEpisodeGetsANewAlertId() {
        // when: two episodes separated by a clear
        List<AlertEvent> events = run(1.5, 1.5, 0.1, 0.1, 0.1, 1.5, 1.5);

        // then
        assertThat(events).extracting(AlertEvent::alertId).isEqualTo(List.of("d@0", "d@0", "d@500"));
    }

    /** Window i spans [100 i, 100 i + 10]; all error on feature x; detection time = window index. */
    private static List<AlertEvent> run(double... scores) {
        List<AlertEvent> events = new ArrayList<>();
        AlertState state = null;
        for (int i = 0; i < scores.length; i++) {
            var window = new ScoreEvent("d", "k", 100L * i, 100L * i + 10, scores[i], THRESHOLD, "v",
                    Map.of("x", 1.0, "y", 0.0));
            AlertState.Step step = AlertState.next(state, window, POLICY, i);
            state = step.state();
            if (step.event() != null) {
                events.add(step.event());
            }
        }
        return events;
    }
}
