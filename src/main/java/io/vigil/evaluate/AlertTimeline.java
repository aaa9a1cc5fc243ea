package io.vigil.evaluate;

import io.vigil.model.Window;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.AlertState;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.List;
import java.util.Map;

/**
 * Replays one device's scored windows, in time order, through the stream's own alert lifecycle
 * ({@link AlertState#next}) at a given threshold: the evaluation's alerts are the stream's alerts.
 */
final class AlertTimeline {

    private AlertTimeline() {
    }

    /**
     * End time (epoch ms) of the window that first RAISED an alert, or null when none did.
     *
     * @param windows the device's windows, in time order
     * @param scores  their scores, same order
     */
    static Long firstRaised(String device, String kind, List<Window> windows, double[] scores, double threshold,
                            AlertPolicy policy) {
        AlertState state = null;
        for (int i = 0; i < scores.length; i++) {
            Window w = windows.get(i);
            ScoreEvent event = new ScoreEvent(device, kind, w.startMs(), w.endMs(), scores[i], threshold, "eval",
                    Map.of());
            AlertState.Step step = AlertState.next(state, event, policy, w.endMs());
            if (step.event() != null && step.event().state() == AlertEvent.State.RAISED) {
                return w.endMs();
            }
            state = step.state();
        }
        return null;
    }
}
