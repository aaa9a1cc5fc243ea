package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.EmbeddedMqtt;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.testkit.Bridges;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge between real brokers: Kafka in-process (KRaft) and Debian's mosquitto as a child
 * process, readings published with {@code mosquitto_pub} like a gateway would.
 */
@ExtendWith(RealBrokers.class)
class BridgeIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String READINGS = VIBRATION.kafka().readings();
    static final String DEAD_LETTER = VIBRATION.kafka().deadLetter();
    static final Duration DELIVERY = Duration.ofSeconds(60);

    @Kafka
    static EmbeddedKafka kafka;
    @Mosquitto
    static MosquittoProcess mosquitto;
    static Bridge bridge;
    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startBridge() {
        System.out.println("EmbeddedKafka started in " + kafka.startupTime().toMillis() + " ms");
        System.out.println("mosquitto started in " + mosquitto.startupTime().toMillis() + " ms");
        bridge = Bridges.between(mosquitto.uri(), kafka, VIBRATION)
                .clientId("bridge-it")
                .metrics(registry)
                .start();
    }

    @AfterAll
    static void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void readingPublishedWithMosquittoPubReachesTheReadingsTopic() throws Exception {
        // given a batch reading from device bearing-7
        long ts = System.currentTimeMillis() - 1_000;
        String payload = "{\"ts\": " + ts + ", \"rateHz\": 100, \"samples\": [[0.1, 0.2, 9.8], [0.3, -0.4, 9.7]]}";

        // when a gateway publishes it with QoS 1 over MQTT 5
        mosquittoPub("vigil/vibration/bearing-7", List.of("-m", payload));

        // then one record: key = device id, timestamp = sensor time, value = the batch
        List<ConsumerRecord<String, byte[]>> records = awaitRecords(READINGS, r -> "bearing-7".equals(r.key()), 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo("bearing-7");
        assertThat(record.timestamp()).isEqualTo(ts);
        assertThat(batchOf(record)).usingRecursiveComparison()
                .isEqualTo(new SampleBatch(ts, 10.0, new double[][] {{0.1, 0.2, 9.8}, {0.3, -0.4, 9.7}}));
    }

    @Test
    void malformedReadingReachesTheDeadLetterTopicWithItsReason() throws Exception {
        // given a batch whose second row lacks z
        String payload = "{\"ts\": " + System.currentTimeMillis() + ", \"rateHz\": 100, \"samples\": [[1, 2, 3], [1, 2]]}";

        // when
        mosquittoPub("vigil/vibration/bearing-bad", List.of("-m", payload));

        // then the raw bytes land on the dead-letter topic with reason, message, topic and kind
        List<ConsumerRecord<String, byte[]>> records = awaitRecords(DEAD_LETTER, r -> "bearing-bad".equals(r.key()), 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(headers(record)).containsExactly(
                Map.entry(BridgeRecords.HEADER_REASON, "RAGGED_BATCH"),
                Map.entry(BridgeRecords.HEADER_ERROR, "samples[1] has 2 values; expected 3 [x, y, z]"),
                Map.entry(BridgeRecords.HEADER_MQTT_TOPIC, "vigil/vibration/bearing-bad"),
                Map.entry(BridgeRecords.HEADER_KIND, "vibration"));
        assertThat(registry.counter(BridgeMetrics.REJECTED, BridgeMetrics.TAG_KIND, "vibration",
                BridgeMetrics.TAG_REASON, "RAGGED_BATCH").count()).isEqualTo(1.0);
    }

    @Test
    void everyPublishedMessageBecomesExactlyOneRecord(@TempDir Path dir) throws Exception {
        // given N single-sample readings, one per line, from one device
        int n = 2_000;
        long ts0 = System.currentTimeMillis() - 60_000;
        Path lines = dir.resolve("readings.jsonl");
        Files.write(lines, IntStream.range(0, n)
                .mapToObj(i -> "{\"ts\": " + (ts0 + i) + ", \"x\": " + i + ", \"y\": 0, \"z\": 1}")
                .toList());

        // when they are published in one mosquitto_pub session (-l: one message per line)
        long started = System.nanoTime();
        mosquittoPub("vigil/vibration/bearing-count", List.of("-l"), lines);

        // then count in = count out, in order (one device = one partition)
        List<ConsumerRecord<String, byte[]>> records = awaitRecords(READINGS, r -> "bearing-count".equals(r.key()), n);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BridgeIT: %d messages through mosquitto -> bridge -> Kafka in %.2f s (%.0f msg/s)%n",
                n, seconds, n / seconds);
        assertThat(records).hasSize(n);
        assertThat(records).extracting(ConsumerRecord::timestamp)
                .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> ts0 + i).toList());
        await().atMost(DELIVERY).until(() -> bridge.inFlight() == 0);
    }

    @Test
    void readingsPublishedWhileTheBridgeIsDownArriveWhenItReturns(@TempDir Path dir) throws Exception {
        // given a bridge that subscribed once under a fixed client id, then went away
        SimpleMeterRegistry restartRegistry = new SimpleMeterRegistry();
        restartBridge(new SimpleMeterRegistry()).close();
        long ts = System.currentTimeMillis();
        Path lines = dir.resolve("offline.jsonl");
        Files.write(lines, IntStream.range(0, 3)
                .mapToObj(i -> "{\"ts\": " + (ts + i) + ", \"x\": 1, \"y\": 2, \"z\": 3}").toList());

        // when readings are published while it is down
        mosquittoPub("vigil/vibration/bearing-offline", List.of("-l"), lines);

        // then the broker kept them in the session and the returning bridge forwards all three
        try (Bridge returning = restartBridge(restartRegistry)) {
            await().atMost(DELIVERY).until(() -> restartRegistry.counter(BridgeMetrics.SAMPLES,
                    BridgeMetrics.TAG_KIND, "vibration").count() == 3.0);
            await().atMost(DELIVERY).until(() -> returning.inFlight() == 0);
        }
    }

    private static Bridge restartBridge(SimpleMeterRegistry metrics) {
        return Bridges.between(mosquitto.uri(), kafka, VIBRATION)
                .clientId("bridge-it-restart") // same id = same session
                .metrics(metrics)
                .start();
    }

    @Test
    void bridgeWorksThroughTheEmbeddedHiveMqBroker() throws Exception {
        // given HiveMQ in-process and a second bridge on it
        SimpleMeterRegistry hivemqRegistry = new SimpleMeterRegistry();
        try (EmbeddedMqtt hivemq = EmbeddedMqtt.start();
             Bridge viaHivemq = Bridges.between(hivemq.uri(), kafka, VIBRATION)
                     .clientId("bridge-it-hivemq")
                     .metrics(hivemqRegistry)
                     .start()) {
            System.out.println("EmbeddedMqtt (HiveMQ) started in " + hivemq.startupTime().toMillis() + " ms");
            long ts = System.currentTimeMillis();

            // when a Paho MQTT 5 client publishes a single sample with QoS 1
            Bridges.publishOnce(hivemq.uri(), "sensor-hivemq", "vigil/vibration/bearing-hivemq",
                    ("{\"ts\": " + ts + ", \"x\": 1.5, \"y\": -2.5, \"z\": 9.75}").getBytes(StandardCharsets.UTF_8),
                    false);

            // then it reaches Kafka, keyed and stamped like any reading
            List<ConsumerRecord<String, byte[]>> records = awaitRecords(READINGS, r -> "bearing-hivemq".equals(r.key()), 1);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).timestamp()).isEqualTo(ts);
            assertThat(batchOf(records.get(0))).usingRecursiveComparison()
                    .isEqualTo(new SampleBatch(ts, 0, new double[][] {{1.5, -2.5, 9.75}}));
            await().atMost(DELIVERY).until(() -> hivemqRegistry.counter(BridgeMetrics.READINGS,
                    BridgeMetrics.TAG_KIND, "vibration", BridgeMetrics.TAG_OUTCOME, BridgeMetrics.FORWARDED).count() == 1.0);
        }
    }

    private static void mosquittoPub(String topic, List<String> args) throws IOException, InterruptedException {
        mosquittoPub(topic, args, null);
    }

    private static void mosquittoPub(String topic, List<String> args, Path stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-q", "1",
                "-h", "127.0.0.1", "-p", String.valueOf(mosquitto.port()), "-i", "gateway-" + System.nanoTime(),
                "-t", topic));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
    }

    /** Reads {@code topic} from the beginning until {@code expected} records match. */
    private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, int expected) {
        return TopicReader.await(kafka.bootstrapServers(), topic, filter, expected, DELIVERY);
    }

    private static SampleBatch batchOf(ConsumerRecord<String, byte[]> record) {
        return new SampleBatchSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private static List<Map.Entry<String, String>> headers(ConsumerRecord<String, byte[]> record) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Header h : record.headers()) {
            out.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
