package io.vigil.stream;

import static io.vigil.stream.Fixtures.HEALTHY;
import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.repeat;
import static io.vigil.stream.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.ingest.Topics;
import io.vigil.reading.SampleBatch;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readings no bridge would forward but a detector must survive, written straight onto the readings
 * topic of a real broker (topics as Vigil creates them) and read by the exactly-once detector: a bad
 * clock value, values so large that the model's arithmetic overflows.
 */
@ExtendWith(RealBrokers.class)
class DetectorBadReadingsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SCORED = Duration.ofSeconds(60);
    static final long FIFTY_MINUTES = Duration.ofMinutes(50).toMillis();

    @Test
    void oneReadingFiftyMinutesAheadCostsItsDeviceOneWindowFillNotItsNextSamples(@TempDir Path dir,
            @Kafka EmbeddedKafka kafka) {
        // given a device whose 21st reading is stamped 50 minutes ahead, then 300 good samples, then 10 of
        // those again (late) and its last one again (duplicate); and a device with the same samples but no jump
        SensorKind kind = Fixtures.vibration(Fixtures.THRESHOLD);
        List<Map.Entry<String, SampleBatch>> readings = new ArrayList<>();
        readings.add(Map.entry("clock-1", batch(0, repeat(HEALTHY, 20))));
        readings.add(Map.entry("clock-1", new SampleBatch(ts(20) + FIFTY_MINUTES, 0, repeat(HEALTHY, 1))));
        for (int from = 20; from < 320; from += 10) {
            readings.add(Map.entry("clock-1", batch(from, repeat(HEALTHY, 10))));
            readings.add(Map.entry("steady-1", batch(from - 20, repeat(HEALTHY, 10))));
        }
        readings.add(Map.entry("steady-1", batch(300, repeat(HEALTHY, 20))));
        readings.add(Map.entry("clock-1", batch(100, repeat(HEALTHY, 10))));
        readings.add(Map.entry("clock-1", batch(319, repeat(HEALTHY, 1))));
        // window 4, hop 2: before the jump windows end at samples 3..19; the ring restarts at sample 20
        List<Long> clockWindows = new ArrayList<>(ends(3, 19));
        clockWindows.addAll(ends(23, 319));

        Topics.ensureAll(kafka.bootstrapServers(), List.of(kind));
        try (InProcessDetector detector = InProcessDetector.start(kafka.bootstrapServers(), kind,
                "bad-clock-it", dir)) {
            // when
            InProcessDetector.send(kafka.bootstrapServers(), kind.kafka().readings(), readings);
            TopicReader.readUntil(kafka.bootstrapServers(), kind.kafka().scores(), r -> true,
                    r -> r.size() >= clockWindows.size() + ends(3, 319).size(), SCORED);
            Map<String, List<Long>> windows = windowEnds(kafka, kind);
            MeterRegistry registry = detector.registry();
            System.out.printf("DetectorBadReadingsIT: after a reading 50 min ahead, clock-1 scored %d windows"
                            + " (steady-1 %d); dropped late %.0f, duplicate %.0f; ring resets gap %.0f, clock %.0f%n",
                    windows.getOrDefault("clock-1", List.of()).size(),
                    windows.getOrDefault("steady-1", List.of()).size(), dropped(registry, "late"),
                    dropped(registry, "duplicate"), resets(registry, "gap"), resets(registry, "clock"));

            // then the device is scored again from its first good sample after the jump; late and
            // duplicate samples are still dropped, and each window is scored once
            assertThat(windows).isEqualTo(Map.of("clock-1", clockWindows, "steady-1", ends(3, 319)));
            assertThat(dropped(registry, "late")).isEqualTo(10);
            assertThat(dropped(registry, "duplicate")).isEqualTo(1);
            assertThat(resets(registry, "gap")).isEqualTo(1);
            assertThat(resets(registry, "clock")).isEqualTo(1);
        }
    }

    @Test
    void hugeValuesAreDeadLetteredOutsideTheirRangeAndScoredAsFiniteNumbersInside(@TempDir Path dir,
            @Kafka EmbeddedKafka kafka)
            throws Exception {
        // given a topology that lets x reach 1e300 (y and z keep the default range, +-1e9)
        Path file = dir.resolve("vibration.yaml");
        Files.writeString(file, """
                kind: vibration
                features: [x, y, z]
                sampleRateHz: 100
                window: 4
                hop: 2
                alert: {threshold: 1.0, raiseAfter: 3, clearAfter: 2}
                range:
                  x: [-1.0e300, 1.0e300]
                """);
        SensorKind kind = SensorKindLoader.load(file);
        List<Map.Entry<String, SampleBatch>> readings = List.of(
                Map.entry("huge-x", batch(0, repeat(new double[] {1e200, 0.25, 0.25}, 8))),
                Map.entry("huge-y", batch(0, repeat(new double[] {0.5, 1e200, 0.25}, 8))));

        Topics.ensureAll(kafka.bootstrapServers(), List.of(kind));
        try (InProcessDetector detector = InProcessDetector.start(kafka.bootstrapServers(), kind,
                "huge-values-it", dir.resolve("state"))) {
            // when
            InProcessDetector.send(kafka.bootstrapServers(), kind.kafka().readings(), readings);
            List<ConsumerRecord<String, byte[]>> alerts = TopicReader.readUntil(kafka.bootstrapServers(),
                    kind.kafka().alerts(), r -> true, r -> !r.isEmpty(), SCORED);
            List<ConsumerRecord<String, byte[]>> scores = TopicReader.committed(kafka.bootstrapServers(),
                    kind.kafka().scores(), SCORED);
            List<ConsumerRecord<String, byte[]>> deadLetters = TopicReader.readUntil(kafka.bootstrapServers(),
                    kind.kafka().deadLetter(), r -> true, r -> !r.isEmpty(), SCORED);

            // then huge-x's windows (ending at samples 3, 5, 7) are scored with the largest double and
            // all their error on x; every event is valid against its schema
            JsonNode scoreSchema = JSON.readTree(Path.of("docs/schemas/score-event.schema.json").toFile());
            JsonNode alertSchema = JSON.readTree(Path.of("docs/schemas/alert-event.schema.json").toFile());
            List<String> scored = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : scores) {
                JsonNode event = JSON.readTree(record.value());
                EventSchemaTest.assertMatches(event, scoreSchema);
                scored.add(event.get("deviceId").asText() + " " + event.get("windowEnd").asLong() + " "
                        + event.get("score").asDouble() + " " + event.get("featureShare"));
            }
            String expected = " " + Double.MAX_VALUE + " {\"x\":1.0,\"y\":0.0,\"z\":0.0}";
            assertThat(scored).containsExactly("huge-x " + ts(3) + expected, "huge-x " + ts(5) + expected,
                    "huge-x " + ts(7) + expected);
            assertThat(alerts).hasSize(1);
            JsonNode alert = JSON.readTree(alerts.get(0).value());
            EventSchemaTest.assertMatches(alert, alertSchema);
            assertThat(alert.get("state").asText() + " " + alert.get("peakScore").asDouble() + " "
                    + alert.get("featureShare")).isEqualTo("RAISED " + Double.MAX_VALUE
                    + " {\"x\":1.0,\"y\":0.0,\"z\":0.0}");
            // and huge-y, outside y's range, is dead-lettered with its reason, counted
            assertThat(deadLetters).extracting(ConsumerRecord::key, r -> TopicReader.header(r,
                    DetectorTopology.REASON_HEADER)).containsExactly(org.assertj.core.groups.Tuple.tuple("huge-y",
                    "out-of-range: sample 0 holds 1.0E200 for y, outside its range [-1.0E9, 1.0E9]"));
            assertThat(detector.registry().get(DetectorMetrics.RECORDS_DEAD_LETTERED)
                    .tag(DetectorMetrics.TAG_REASON, "out-of-range").counter().count()).isEqualTo(1);
            assertThat(detector.registry().get("vigil.detector.scores.overflowed").counter().count())
                    .isEqualTo(3);
        }
    }

    /** Times of the windows ending at samples {@code first}, {@code first + 2}, ... {@code last}. */
    private static List<Long> ends(int first, int last) {
        return IntStream.iterate(first, i -> i <= last, i -> i + 2).mapToObj(Fixtures::ts).toList();
    }

    /** Committed score events: device → window ends, in topic order. */
    private static Map<String, List<Long>> windowEnds(EmbeddedKafka kafka, SensorKind kind) {
        Map<String, List<Long>> ends = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.committed(kafka.bootstrapServers(), kind.kafka().scores(),
                SCORED)) {
            ScoreEvent event = ScoreEvent.serde().deserializer().deserialize("", r.value());
            ends.computeIfAbsent(event.deviceId(), d -> new ArrayList<>()).add(event.windowEnd());
        }
        return ends;
    }

    private static double dropped(MeterRegistry registry, String reason) {
        var counter = registry.find(DetectorMetrics.SAMPLES_DROPPED).tag(DetectorMetrics.TAG_REASON, reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double resets(MeterRegistry registry, String reason) {
        var counter = registry.find(DetectorMetrics.WINDOW_RESETS).tag(DetectorMetrics.TAG_REASON, reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
