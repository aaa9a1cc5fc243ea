package io.vigil.stream;

import java.util.Map;

/**
 * One scored window, published on the kind's scores topic ({@code vigil.scores.<kind>}), key =
 * device id, record timestamp = {@code windowEnd}. Schema: {@code docs/schemas/score-event.schema.json}.
 *
 * @param windowStart  time of the window's first sample, epoch ms (sensor time)
 * @param windowEnd    time of the window's last sample, epoch ms (sensor time)
 * @param score        reconstruction error of the window
 * @param threshold    error above which the window counts as anomalous
 * @param featureShare feature name → share of the window's error (sums to 1), in feature order
 */
public record ScoreEvent(
        String deviceId,
        String kind,
        long windowStart,
        long windowEnd,
        double score,
        double threshold,
        String modelVersion,
        Map<String, Double> featureShare) {

    public static JsonSerde<ScoreEvent> serde() {
        return new JsonSerde<>(ScoreEvent.class);
    }

    public boolean overThreshold() {
        return score > threshold;
    }
}
