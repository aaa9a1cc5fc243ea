package io.vigil.stream;

import io.vigil.stream.AlertEvent.Severity;
import io.vigil.stream.AlertEvent.State;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's alert bookkeeping between windows, kept in the alert store: a run of windows over
 * threshold that may become an episode, or the episode in progress. An idle device has no state.
 *
 * @param active           an episode is raised and not yet cleared
 * @param overRun          consecutive windows over threshold (counts towards raising)
 * @param underRun         consecutive windows under threshold while active (counts towards clearing)
 * @param firstWindowStart start of the run's first over-threshold window, epoch ms
 * @param lastWindowEnd    end of the run's latest over-threshold window, epoch ms
 * @param peakScore        highest score of the run
 * @param featureError     feature name → squared error summed over the run's over-threshold windows
 */
public record AlertState(
        boolean active,
        int overRun,
        int underRun,
        long firstWindowStart,
        long lastWindowEnd,
        double peakScore,
        Map<String, Double> featureError) {

    /** The next state after one window ({@code null} = idle) and the event to publish, if any. */
    public record Step(AlertState state, AlertEvent event) {
    }

    public static JsonSerde<AlertState> serde() {
        return new JsonSerde<>(AlertState.class);
    }

    /**
     * Applies one scored window of a device whose current state is {@code state} (null = idle):
     * RAISED after {@code raiseAfter} consecutive windows over threshold, CLEARED after
     * {@code clearAfter} consecutive windows under it; an under-threshold window before raising
     * forgets the run.
     */
    public static Step next(AlertState state, ScoreEvent window, AlertPolicy policy, long nowMs) {
        boolean active = state != null && state.active;
        if (window.overThreshold()) {
            AlertState run = (state == null ? start(window) : state).accumulate(window);
            if (!active && run.overRun >= policy.raiseAfter()) {
                AlertState raised = run.activated();
                return new Step(raised, raised.event(window, State.RAISED, nowMs));
            }
            return new Step(run, null);
        }
        if (!active) {
            return new Step(null, null);
        }
        AlertState quieter = state.calmer();
        if (quieter.underRun >= policy.clearAfter()) {
            return new Step(null, quieter.event(window, State.CLEARED, nowMs));
        }
        return new Step(quieter, null);
    }

    private static AlertState start(ScoreEvent window) {
        return new AlertState(false, 0, 0, window.windowStart(), window.windowEnd(), 0, Map.of());
    }

    private AlertState accumulate(ScoreEvent window) {
        Map<String, Double> error = new LinkedHashMap<>(featureError);
        window.featureShare().forEach((feature, share) -> error.merge(feature, share * window.score(), FiniteScore::sum));
        return new AlertState(active, overRun + 1, 0, firstWindowStart, window.windowEnd(),
                Math.max(peakScore, window.score()), error);
    }

    private AlertState activated() {
        return new AlertState(true, overRun, 0, firstWindowStart, lastWindowEnd, peakScore, featureError);
    }

    private AlertState calmer() {
        return new AlertState(true, 0, underRun + 1, firstWindowStart, lastWindowEnd, peakScore, featureError);
    }

    /** Stable per episode: the device and the start of the episode's first window. */
    public static String alertId(String deviceId, long firstWindowStart) {
        return deviceId + "@" + firstWindowStart;
    }

    private AlertEvent event(ScoreEvent window, State state, long nowMs) {
        return new AlertEvent(alertId(window.deviceId(), firstWindowStart), window.deviceId(), window.kind(), state,
                Severity.of(peakScore, window.threshold()), peakScore, window.threshold(), firstWindowStart,
                lastWindowEnd, shares(), window.modelVersion(), nowMs);
    }

    private Map<String, Double> shares() {
        double total = featureError.values().stream().mapToDouble(Double::doubleValue).reduce(0, FiniteScore::sum);
        Map<String, Double> shares = new LinkedHashMap<>();
        featureError.forEach((feature, error) -> shares.put(feature, total > 0 ? error / total : 0.0));
        return shares;
    }
}
