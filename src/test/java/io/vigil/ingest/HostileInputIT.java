package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole hostile corpus through a real mosquitto into the real bridge and Kafka, interleaved with
 * good readings: every bad message is dead-lettered with exactly its reason and counted, every good
 * one is forwarded, and the bridge is still up at the end.
 */
@ExtendWith(RealBrokers.class)
class HostileInputIT {

    static final Duration DELIVERY = Duration.ofSeconds(90);
    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");

    @Test
    void everyHostileReadingIsDeadLetteredWithItsReasonAndGoodReadingsFlowOn(@Kafka EmbeddedKafka kafka,
            @Mosquitto MosquittoProcess mosquitto) throws Exception {
        long now = System.currentTimeMillis();
        List<HostileCorpus.Entry> corpus = HostileCorpus.viaMqtt(now);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Bridge bridge = Bridge.builder()
                     .broker(mosquitto.uri())
                     .bootstrapServers(kafka.bootstrapServers())
                     .kinds(List.of(VIBRATION, SMART))
                     .clientId("hostile-it")
                     .metrics(registry)
                     .start()) {
            // given the corpus, each bad message followed by a good reading from a healthy device
            MqttClient gateway = new MqttClient(mosquitto.uri(), "hostile-gateway", new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            gateway.connect(options);
            List<String> goodKeys = new ArrayList<>();

            // when all of it is published with QoS 1
            for (int i = 0; i < corpus.size(); i++) {
                HostileCorpus.Entry bad = corpus.get(i);
                gateway.publish(bad.topic(), bad.payload(), 1, false);
                String device = "good-" + i;
                gateway.publish("vigil/vibration/" + device, utf8("{\"ts\": " + (now + i)
                        + ", \"x\": 1, \"y\": 2, \"z\": 3, \"firmware\": \"1.2\"}"), 1, false); // extra fields are fine
                goodKeys.add(device);
            }
            gateway.disconnect();
            gateway.close();

            // then every bad message is on the dead-letter topic with exactly its reason
            Map<String, HostileCorpus.Entry> byTopic = corpus.stream()
                    .collect(Collectors.toMap(HostileCorpus.Entry::topic, Function.identity()));
            List<ConsumerRecord<String, byte[]>> deadLetters = TopicReader.await(kafka.bootstrapServers(),
                    VIBRATION.kafka().deadLetter(), r -> true, corpus.size(), DELIVERY);
            Map<String, String> actual = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : deadLetters) {
                HostileCorpus.Entry entry = byTopic.get(TopicReader.header(r, BridgeRecords.HEADER_MQTT_TOPIC));
                actual.put(entry == null ? "?" + TopicReader.header(r, BridgeRecords.HEADER_MQTT_TOPIC) : entry.id(),
                        TopicReader.header(r, BridgeRecords.HEADER_REASON));
            }
            Map<String, String> expected = new TreeMap<>();
            corpus.forEach(e -> expected.put(e.id(), e.reason().name()));
            assertThat(deadLetters).hasSize(corpus.size());
            assertThat(actual).isEqualTo(expected);

            // and the raw bytes are kept, so an operator can replay a fixed message
            for (ConsumerRecord<String, byte[]> r : deadLetters) {
                HostileCorpus.Entry entry = byTopic.get(TopicReader.header(r, BridgeRecords.HEADER_MQTT_TOPIC));
                assertThat(r.value()).as(entry.id()).isEqualTo(entry.payload());
            }

            // and the rejection counter per kind and reason matches
            Map<String, Double> counted = new TreeMap<>();
            for (Counter c : registry.find(BridgeMetrics.REJECTED).counters()) {
                counted.put(c.getId().getTag(BridgeMetrics.TAG_KIND) + "/" + c.getId().getTag(BridgeMetrics.TAG_REASON), c.count());
            }
            Map<String, Double> expectedCounts = corpus.stream().collect(Collectors.groupingBy(
                    e -> e.kind() + "/" + e.reason().name(), TreeMap::new, Collectors.summingDouble(e -> 1.0)));
            assertThat(counted).isEqualTo(expectedCounts);

            // and every good reading was forwarded, once
            List<ConsumerRecord<String, byte[]>> readings = TopicReader.await(kafka.bootstrapServers(),
                    VIBRATION.kafka().readings(), r -> r.key().startsWith("good-"), goodKeys.size(), DELIVERY);
            assertThat(readings).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(goodKeys);

            // and the bridge is still connected with nothing left unacknowledged
            assertThat(bridge.isConnected()).isTrue();
            org.awaitility.Awaitility.await().atMost(DELIVERY).until(() -> bridge.inFlight() == 0);
            System.out.printf("HostileInputIT: %d hostile messages dead-lettered by reason %s; %d good readings forwarded%n",
                    corpus.size(), expectedCounts, readings.size());
            assertThat(Set.copyOf(actual.keySet())).hasSize(corpus.size());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
