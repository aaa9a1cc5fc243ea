package io.vigil.testkit;

import io.vigil.reading.DeviceSeries;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Fault-test helper: the keys that tell readings and windows apart across restarts. A reading is
 * {@code device@sampleTime} (what the detector deduplicates on); a window is {@code device@windowEnd}
 * (one score event per window, so a key seen twice is a window scored twice).
 */
public final class ScoredWindows {

    private static final Deserializer<ScoreEvent> SCORES = ScoreEvent.serde().deserializer();
    private static final Deserializer<SampleBatch> READINGS = new SampleBatchSerde().deserializer();

    private ScoredWindows() {
    }

    /** Every window the detector must score for these series: ends at sample {@code window-1}, then every {@code hop}. */
    public static Set<String> expected(List<DeviceSeries> series, SensorKind kind) {
        Set<String> keys = new HashSet<>();
        for (DeviceSeries s : series) {
            for (int end = kind.window() - 1; end < s.size(); end += kind.hop()) {
                keys.add(s.device() + "@" + s.ts()[end]);
            }
        }
        return keys;
    }

    /** Every sample of these series, as {@code device@sampleTime}. */
    public static Set<String> expectedReadings(List<DeviceSeries> series) {
        Set<String> keys = new HashSet<>();
        for (DeviceSeries s : series) {
            for (long ts : s.ts()) {
                keys.add(s.device() + "@" + ts);
            }
        }
        return keys;
    }

    /** Window key → score events for it, from a scores topic's records. */
    public static Map<String, Integer> scoreCounts(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            ScoreEvent event = SCORES.deserialize(r.topic(), r.value());
            counts.merge(event.deviceId() + "@" + event.windowEnd(), 1, Integer::sum);
        }
        return counts;
    }

    /** Reading key → times it is in a readings topic, from the records' sample batches. */
    public static Map<String, Integer> readingCounts(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SampleBatch batch = READINGS.deserialize(r.topic(), r.value());
            for (int i = 0; i < batch.size(); i++) {
                counts.merge(r.key() + "@" + batch.timestampOf(i), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** How many keys are counted more than once, and how many extra times in all. */
    public static int duplicates(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(n -> n - 1).sum();
    }
}
