package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.payload.PayloadParser;
import io.vigil.payload.RejectReason;
import io.vigil.testkit.Bridges;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kafka or MQTT would refuse, lose or repeat (issue 15): oversize payloads and records, readings
 * stamped ahead, topics no kind claims, retained messages, a client taking the bridge's id. Kafka runs
 * as a production broker does, {@code auto.create.topics.enable=false}, so every topic is one the
 * bridge created with its own settings (or, where a test says so, an operator with stricter ones);
 * mosquitto is Debian's. Every case ends with nothing left in
 * flight and no record sent again: refused input is dead-lettered once, with its reason.
 */
@ExtendWith(RealBrokers.class)
class BridgeLimitsIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final SensorKind ADXL = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "adxl356");
    static final String READINGS = VIBRATION.kafka().readings();
    static final String DEAD_LETTER = VIBRATION.kafka().deadLetter();
    static final Duration DELIVERY = Duration.ofSeconds(60);
    /** Kafka's largest request here: the bridge's payload limit, so a batch that expands when serialized is refused. */
    static final int MAX_REQUEST_BYTES = PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES;

    @Kafka("auto.create.topics.enable=false")
    static EmbeddedKafka kafka;
    @Mosquitto
    static MosquittoProcess mosquitto;
    static Bridge bridge;
    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startBridge() {
        bridge = Bridges.between(mosquitto.uri(), kafka, VIBRATION)
                .clientId("limits-it")
                .producerOverrides(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES))
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
    void payloadsOverKafkasRequestSizeAreDeadLetteredOnceTruncatedNotRetried() throws Exception {
        // given a 5 MB reading and a batch of 1,000,000 samples (8 MB), both far over every limit
        long now = System.currentTimeMillis();
        byte[] fiveMegabytes = utf8("{\"ts\": " + now + ", \"x\": 1, \"y\": 2, \"z\": 3, \"pad\": \""
                + "a".repeat(5_000_000) + "\"}");
        byte[] millionSamples = utf8("{\"ts\": " + now + ", \"rateHz\": 100, \"samples\": ["
                + "[1,2,3],".repeat(999_999) + "[1,2,3]]}");

        // when a gateway publishes them
        publish(mosquitto, "vigil/vibration/huge-5mb", fiveMegabytes, false);
        publish(mosquitto, "vigil/vibration/huge-1m-samples", millionSamples, false);

        // then each is dead-lettered once as TOO_LARGE, with its first bytes and its full size
        for (Map.Entry<String, byte[]> sent : Map.of("huge-5mb", fiveMegabytes, "huge-1m-samples", millionSamples).entrySet()) {
            ConsumerRecord<String, byte[]> dead = deadLetterOf(sent.getKey());
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_REASON)).isEqualTo("TOO_LARGE");
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_ERROR)).isEqualTo("payload is "
                    + sent.getValue().length + " bytes; the limit is " + PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES);
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_PAYLOAD_BYTES))
                    .isEqualTo(String.valueOf(sent.getValue().length));
            assertThat(dead.value().length).isLessThan(MAX_REQUEST_BYTES).isGreaterThan(MAX_REQUEST_BYTES / 2);
            assertThat(dead.value()).isEqualTo(Arrays.copyOf(sent.getValue(), dead.value().length));
            System.out.printf("BridgeLimitsIT: %s, %d bytes -> TOO_LARGE dead letter holding its first %d bytes%n",
                    sent.getKey(), sent.getValue().length, dead.value().length);
        }
        // and nothing is left in flight or sent again
        await().atMost(DELIVERY).until(() -> bridge.inFlight() == 0);
        assertThat(kafkaRetries()).isZero();
    }

    @Test
    void batchWhoseRecordOutgrowsKafkasRequestSizeIsDeadLetteredWithKafkasReason() throws Exception {
        // given a batch under the payload limit whose readings record is not: "[0,0,0]," becomes "[0.0,0.0,0.0],"
        byte[] payload = utf8("{\"ts\": " + (System.currentTimeMillis() - 600_000) + ", \"rateHz\": 100, \"samples\": ["
                + "[0,0,0],".repeat(23_999) + "[0,0,0]]}");
        assertThat(payload.length).isLessThan(PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES);

        // when it is published
        publish(mosquitto, "vigil/vibration/expanding-batch", payload, false);

        // then Kafka's refusal dead-letters it, whole, instead of a retry loop
        ConsumerRecord<String, byte[]> dead = deadLetterOf("expanding-batch");
        assertThat(TopicReader.header(dead, BridgeRecords.HEADER_REASON)).isEqualTo("TOO_LARGE");
        assertThat(TopicReader.header(dead, BridgeRecords.HEADER_ERROR))
                .startsWith("Kafka refused the readings record: The message is ")
                .contains("which is the value of the max.request.size configuration");
        assertThat(dead.value()).isEqualTo(payload);
        assertThat(dead.headers().lastHeader(BridgeRecords.HEADER_PAYLOAD_BYTES)).isNull();
        System.out.printf("BridgeLimitsIT: a %d-byte batch of 24,000 samples -> %s: %s%n", payload.length,
                TopicReader.header(dead, BridgeRecords.HEADER_REASON), TopicReader.header(dead, BridgeRecords.HEADER_ERROR));
        await().atMost(DELIVERY).until(() -> bridge.inFlight() == 0);
        assertThat(kafkaRetries()).isZero();
    }

    @Test
    void readingsAheadOfTheClockAreForwardedUpToTheLimitAndDeadLetteredBeyondIt() throws Exception {
        // given readings stamped just inside the bridge's limit, just beyond it, and 23 h ahead
        long before = System.currentTimeMillis();
        long justInside = before + PayloadParser.MAX_CLOCK_AHEAD.toMillis() - 60_000;
        publish(mosquitto, "vigil/vibration/ahead-inside", single(justInside), false);
        publish(mosquitto, "vigil/vibration/ahead-beyond", single(before + PayloadParser.MAX_CLOCK_AHEAD.toMillis() + 60_000), false);
        publish(mosquitto, "vigil/vibration/ahead-23h", single(before + Duration.ofHours(23).toMillis()), false);

        // then the topic the bridge created takes the one inside the limit, with its sensor time
        List<ConsumerRecord<String, byte[]>> forwarded = TopicReader.await(kafka.bootstrapServers(), READINGS,
                r -> "ahead-inside".equals(r.key()), 1, DELIVERY);
        assertThat(forwarded).extracting(ConsumerRecord::timestamp).containsExactly(justInside);

        // and the two beyond it are dead-lettered as BAD_TIMESTAMP, stamped with the bridge's clock
        for (String device : List.of("ahead-beyond", "ahead-23h")) {
            ConsumerRecord<String, byte[]> dead = deadLetterOf(device);
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_REASON)).as(device).isEqualTo("BAD_TIMESTAMP");
            assertThat(dead.timestamp()).as(device).isBetween(before, System.currentTimeMillis());
        }
        await().atMost(DELIVERY).until(() -> bridge.inFlight() == 0);
        assertThat(kafkaRetries()).isZero();
    }

    @Test
    void aTimestampKafkaRefusesIsDeadLetteredWithKafkasReason(@Mosquitto MosquittoProcess ownBroker) throws Exception {
        // given a readings topic an operator created with a stricter limit than the bridge's (one minute ahead)
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(ADXL.kafka().readings(), Optional.of(1), Optional.empty())
                    .configs(Map.of("message.timestamp.after.max.ms", "60000")))).all().get();
        }
        SimpleMeterRegistry adxlRegistry = new SimpleMeterRegistry();
        long before = System.currentTimeMillis();
        try (Bridge adxlBridge = Bridges.between(ownBroker.uri(), kafka, ADXL)
                     .clientId("limits-it-adxl")
                     .metrics(adxlRegistry)
                     .start()) {
            // when a reading five minutes ahead arrives: the bridge accepts it, Kafka does not
            long ahead = before + Duration.ofMinutes(5).toMillis();
            assertThat(Duration.ofMinutes(5)).isLessThan(PayloadParser.MAX_CLOCK_AHEAD);
            publish(ownBroker, "vigil/adxl356/adxl-ahead", single(ahead), false);

            // then it is dead-lettered with Kafka's reason, stamped with the bridge's clock, never retried
            ConsumerRecord<String, byte[]> dead = deadLetterOf("adxl-ahead");
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_REASON)).isEqualTo("BAD_TIMESTAMP");
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_ERROR))
                    .startsWith("Kafka refused the readings record: ").contains("Timestamp " + ahead);
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_KIND)).isEqualTo("adxl356");
            assertThat(dead.value()).isEqualTo(single(ahead));
            assertThat(dead.timestamp()).isBetween(before, System.currentTimeMillis());
            await().atMost(DELIVERY).until(() -> adxlBridge.inFlight() == 0);
            assertThat(adxlRegistry.counter(BridgeMetrics.REJECTED, BridgeMetrics.TAG_KIND, "adxl356",
                    BridgeMetrics.TAG_REASON, "BAD_TIMESTAMP").count()).isEqualTo(1.0);
            assertThat(adxlRegistry.find(BridgeMetrics.KAFKA_RETRIES).counters()).allMatch(c -> c.count() == 0);
        }
    }

    @Test
    void aDeadLetterTheTopicStillRefusesIsSentAgainWithoutItsPayload(@TempDir Path dir,
            @Mosquitto MosquittoProcess ownBroker) throws Exception {
        // given a kind whose dead-letter topic an operator created to take records of 2 KiB at most
        String smallDeadLetters = "vigil.deadletter.small";
        Path topologyFile = dir.resolve("vibration.yaml");
        Files.writeString(topologyFile, Files.readString(SensorKindLoader.DEFAULT_DIR.resolve("vibration.yaml"))
                .replace("deadLetter: " + DEAD_LETTER, "deadLetter: " + smallDeadLetters));
        SensorKind kind = SensorKindLoader.load(topologyFile);
        assertThat(kind.kafka().deadLetter()).isEqualTo(smallDeadLetters);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(smallDeadLetters, Optional.of(1), Optional.empty())
                    .configs(Map.of("max.message.bytes", "2048")))).all().get();
        }
        SimpleMeterRegistry ownRegistry = new SimpleMeterRegistry();
        try (Bridge small = Bridges.between(ownBroker.uri(), kafka, kind)
                     .clientId("limits-it-small")
                     .metrics(ownRegistry)
                     .start()) {
            // when a 10 kB bad reading arrives: its dead letter fits max.request.size, not the topic
            byte[] payload = utf8("{\"ts\": \"" + "t".repeat(10_000) + "\"}");
            publish(ownBroker, "vigil/vibration/small-topic", payload, false);

            // then Kafka's refusal sends it again bare: reason and size kept, payload dropped, nothing retried
            ConsumerRecord<String, byte[]> dead = TopicReader.await(kafka.bootstrapServers(), smallDeadLetters,
                    r -> "small-topic".equals(r.key()), 1, DELIVERY).get(0);
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_REASON)).isEqualTo("WRONG_TYPE");
            assertThat(TopicReader.header(dead, BridgeRecords.HEADER_PAYLOAD_BYTES)).isEqualTo(String.valueOf(payload.length));
            assertThat(dead.value()).isEmpty();
            await().atMost(DELIVERY).until(() -> small.inFlight() == 0);
            assertThat(ownRegistry.find(BridgeMetrics.KAFKA_RETRIES).counters()).allMatch(c -> c.count() == 0);
        }
    }

    @Test
    void messagesOnTopicsNoKindClaimsAreDeadLetteredAndCounted() throws Exception {
        // given a message one level too deep and one for a kind nobody configured
        publish(mosquitto, "vigil/vibration/bearing-7/extra", single(System.currentTimeMillis()), false);
        publish(mosquitto, "vigil/turbine/turbine-1", single(System.currentTimeMillis()), false);

        // then both are dead-lettered as UNKNOWN_TOPIC and counted under kind "unknown"
        List<ConsumerRecord<String, byte[]>> dead = TopicReader.await(kafka.bootstrapServers(), DEAD_LETTER,
                r -> "UNKNOWN_TOPIC".equals(TopicReader.header(r, BridgeRecords.HEADER_REASON)), 2, DELIVERY);
        assertThat(dead).extracting(r -> TopicReader.header(r, BridgeRecords.HEADER_MQTT_TOPIC))
                .containsExactlyInAnyOrder("vigil/vibration/bearing-7/extra", "vigil/turbine/turbine-1");
        assertThat(dead).extracting(r -> TopicReader.header(r, BridgeRecords.HEADER_KIND)).containsOnly("unknown");
        assertThat(registry.counter(BridgeMetrics.REJECTED, BridgeMetrics.TAG_KIND, "unknown",
                BridgeMetrics.TAG_REASON, "UNKNOWN_TOPIC").count()).isEqualTo(2.0);
    }

    @Test
    void aRetainedBadMessageIsDeadLetteredOnceNotOnEveryResubscribe(@Mosquitto MosquittoProcess ownBroker) throws Exception {
        // given a bad reading a sensor published with the retain flag
        publish(ownBroker, "vigil/vibration/retained-bad", utf8("{\"ts\": \"yesterday\"}"), true);

        // when the bridge subscribes, goes away, and comes back to its session twice
        for (int start = 0; start < 3; start++) {
            SimpleMeterRegistry startRegistry = new SimpleMeterRegistry();
            try (Bridge returning = Bridges.between(ownBroker.uri(), kafka, VIBRATION)
                    .clientId("limits-it-retained")
                    .metrics(startRegistry)
                    .start()) {
                String marker = "retained-marker-" + start; // published after the subscription: arrives after any retained copy
                publish(ownBroker, "vigil/vibration/" + marker, single(System.currentTimeMillis()), false);
                TopicReader.await(kafka.bootstrapServers(), READINGS, r -> marker.equals(r.key()), 1, DELIVERY);
                await().atMost(DELIVERY).until(() -> returning.inFlight() == 0);
            }
        }

        // then it was dead-lettered exactly once
        List<ConsumerRecord<String, byte[]>> dead = TopicReader.readUntil(kafka.bootstrapServers(), DEAD_LETTER,
                r -> "retained-bad".equals(r.key()), found -> found.size() > 1, Duration.ofSeconds(3));
        assertThat(dead).extracting(r -> TopicReader.header(r, BridgeRecords.HEADER_REASON)).containsExactly("WRONG_TYPE");
    }

    @Test
    void aClientUsingTheOldFixedClientIdDoesNotTakeOverTheBridgesSession(@Mosquitto MosquittoProcess ownBroker) throws Exception {
        SimpleMeterRegistry ownRegistry = new SimpleMeterRegistry();
        try (Bridge byDefault = Bridges.between(ownBroker.uri(), kafka, VIBRATION)
                     .metrics(ownRegistry)
                     .start()) {
            // when another client connects as "vigil-bridge", the id every bridge used to have
            MqttClient intruder = new MqttClient(ownBroker.uri(), "vigil-bridge", new MemoryPersistence());
            MqttConnectionOptions cleanStart = new MqttConnectionOptions();
            cleanStart.setCleanStart(true);
            intruder.connect(cleanStart);
            publish(ownBroker, "vigil/vibration/after-intruder", single(System.currentTimeMillis()), false);

            // then the bridge keeps its connection and session, and forwards the reading
            TopicReader.await(kafka.bootstrapServers(), READINGS, r -> "after-intruder".equals(r.key()), 1, DELIVERY);
            assertThat(byDefault.isConnected()).isTrue();
            assertThat(ownRegistry.counter(BridgeMetrics.RECONNECTS).count()).isZero();
            intruder.disconnect();
            intruder.close();
        }
    }

    private static ConsumerRecord<String, byte[]> deadLetterOf(String device) {
        List<ConsumerRecord<String, byte[]>> dead = TopicReader.await(kafka.bootstrapServers(), DEAD_LETTER,
                r -> device.equals(r.key()), 1, DELIVERY);
        assertThat(dead).as("dead letters of " + device).hasSize(1);
        return dead.get(0);
    }

    private static double kafkaRetries() {
        return registry.find(BridgeMetrics.KAFKA_RETRIES).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static byte[] single(long ts) {
        return utf8("{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}");
    }

    private static void publish(MosquittoProcess broker, String topic, byte[] payload, boolean retained) throws Exception {
        Bridges.publishOnce(broker.uri(), "limits-gateway-" + System.nanoTime(), topic, payload, retained);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
