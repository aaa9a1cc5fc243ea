package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.publish.MqttQos1Sender;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two bridges in one MQTT 5 share group ({@code $share/<group>/vigil/vibration/+}) on mosquitto split
 * the readings between them, and together forward each one to Kafka exactly once. Its own brokers:
 * BridgeIT's bridge subscribes without a group and would receive every reading as well.
 */
@ExtendWith(RealBrokers.class)
class SharedSubscriptionIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String GROUP = "vigil-bridges";
    static final int DEVICES = 50;
    static final int READINGS_PER_DEVICE = 40;
    static final int N = DEVICES * READINGS_PER_DEVICE;
    static final Duration DELIVERY = Duration.ofSeconds(120);

    @Test
    void twoBridgesInOneShareGroupSplitTheReadingsAndForwardEachOnce(@Kafka EmbeddedKafka kafka,
            @Mosquitto MosquittoProcess mosquitto) throws Exception {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        long ts0 = System.currentTimeMillis() - 60_000;
        try (// given two bridges in one share group; persistent sessions need distinct client ids
             Bridge a = sharedBridge(mosquitto, kafka, "shared-bridge-a", first);
             Bridge b = sharedBridge(mosquitto, kafka, "shared-bridge-b", second)) {

            // when N single-sample readings from 50 devices are published with QoS 1, devices interleaved
            try (MqttQos1Sender sensor = MqttQos1Sender.connect(mosquitto.uri(), "shared-sensors", 100)) {
                for (int i = 0; i < READINGS_PER_DEVICE; i++) {
                    for (int d = 0; d < DEVICES; d++) {
                        sensor.send(VIBRATION.mqttTopicFilter().replace("+", device(d)), reading(ts0 + i, d));
                    }
                }
                sensor.drain();
            }

            // then the readings topic holds every (device, sensor time) once, and nothing more
            TopicReader.await(kafka.bootstrapServers(), VIBRATION.kafka().readings(), r -> true, N, DELIVERY);
            await().atMost(DELIVERY).until(() -> a.inFlight() == 0 && b.inFlight() == 0);
            List<ConsumerRecord<String, byte[]>> records = TopicReader.committed(kafka.bootstrapServers(),
                    VIBRATION.kafka().readings(), DELIVERY);
            Map<String, Long> perDevice = records.stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
            assertThat(perDevice).isEqualTo(IntStream.range(0, DEVICES).mapToObj(SharedSubscriptionIT::device)
                    .collect(Collectors.toMap(d -> d, d -> (long) READINGS_PER_DEVICE, (x, y) -> x, TreeMap::new)));
            assertThat(records).hasSize(N);
            assertThat(records.stream().map(r -> r.key() + "@" + r.timestamp()).distinct().count()).isEqualTo(N);

            // and each bridge forwarded a share of them, the two shares adding up to N
            double forwardedByA = forwarded(first);
            double forwardedByB = forwarded(second);
            System.out.printf(Locale.ROOT, "SharedSubscriptionIT: %d readings, bridge a forwarded %.0f, bridge b %.0f%n",
                    N, forwardedByA, forwardedByB);
            assertThat(forwardedByA).isPositive();
            assertThat(forwardedByB).isPositive();
            assertThat(forwardedByA + forwardedByB).isEqualTo(N);
        }
    }

    private static Bridge sharedBridge(MosquittoProcess mosquitto, EmbeddedKafka kafka, String clientId,
                                       SimpleMeterRegistry registry) {
        return Bridge.builder()
                .broker(mosquitto.uri())
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId(clientId)
                .shareGroup(GROUP)
                .metrics(registry)
                .start();
    }

    private static double forwarded(SimpleMeterRegistry registry) {
        return registry.counter(BridgeMetrics.READINGS, BridgeMetrics.TAG_KIND, VIBRATION.name(),
                BridgeMetrics.TAG_OUTCOME, BridgeMetrics.FORWARDED).count();
    }

    private static String device(int d) {
        return String.format(Locale.ROOT, "shared-%02d", d);
    }

    private static byte[] reading(long ts, int d) {
        return ("{\"ts\": " + ts + ", \"x\": " + d + ", \"y\": 0, \"z\": 1}").getBytes(StandardCharsets.UTF_8);
    }
}
