package io.vigil.stream;

import java.util.Map;

/**
 * A change in a device's alert state, published on the alerts topic ({@code vigil.alerts}), key =
 * device id. Each anomaly episode yields exactly one {@code RAISED} and one {@code CLEARED} event,
 * both with the same {@code alertId}. Schema: {@code docs/schemas/alert-event.schema.json}.
 *
 * @param alertId          stable per episode: {@code <deviceId>@<firstWindowStart>}
 * @param severity         {@code CRITICAL} when the episode's peak score reached twice the threshold
 * @param peakScore        highest window score of the episode so far
 * @param firstWindowStart start of the first over-threshold window of the episode, epoch ms
 * @param lastWindowEnd    end of the latest over-threshold window of the episode, epoch ms
 * @param featureShare     feature name → share of the reconstruction error summed over the
 *                         episode's over-threshold windows (which axis went wrong)
 * @param detectedAt       wall-clock time the detector emitted this event, epoch ms
 */
public record AlertEvent(
        String alertId,
        String deviceId,
        String kind,
        State state,
        Severity severity,
        double peakScore,
        double threshold,
        long firstWindowStart,
        long lastWindowEnd,
        Map<String, Double> featureShare,
        String modelVersion,
        long detectedAt) {

    public enum State { RAISED, CLEARED }

    public enum Severity {
        WARNING, CRITICAL;

        /** CRITICAL once the peak reaches twice the threshold. */
        public static Severity of(double peakScore, double threshold) {
            return peakScore < 2 * threshold ? WARNING : CRITICAL;
        }
    }

    public static JsonSerde<AlertEvent> serde() {
        return new JsonSerde<>(AlertEvent.class);
    }
}
