package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.ingest.Bridge;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.publish.MqttReadingSink;
import io.vigil.publish.ReadingSink;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Backblaze days replayed through real brokers: mosquitto → bridge → Kafka, and straight to
 * Kafka. Every drive-day row must arrive as exactly one record on the SMART readings topic.
 */
class ReplayIT {

    static final SensorTopology SMART = TopologyLoader.load(TopologyLoader.DEFAULT_DIR, "smart");
    static final Duration DELIVERY = Duration.ofSeconds(120);
    static final long DAY_MS = SmartReadings.DAY_MS;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void threeRealDaysOverMqttArriveInKafkaOneRecordPerRow(@TempDir Path tmp) throws Exception {
        assumeTrue(MosquittoProcess.executable().isPresent(), "mosquitto is not installed");
        Path days = copyDays(tmp, 0, 3);
        try (MosquittoProcess mosquitto = MosquittoProcess.start();
             Bridge bridge = Bridge.builder().broker(mosquitto.uri()).bootstrapServers(kafka.bootstrapServers())
                     .topologies(List.of(SMART)).clientId("replay-it").metrics(new SimpleMeterRegistry()).start();
             ReadingSink sink = new MqttReadingSink(mosquitto.uri(), SMART, "replay-it-mqtt", 1000)) {
            // when
            BackblazeReplay.Totals totals = new BackblazeReplay(SMART).run(days, sink, 0, BackblazeReplay.Listener.NONE);

            // then
            assertThat(totals.readings()).isEqualTo(totals.rows());
            assertArrivesOncePerRow(totals.rows(), LocalDate.of(2013, 4, 10), LocalDate.of(2013, 4, 12));
        }
    }

    @Test
    void twoRealDaysStraightToKafkaArriveOneRecordPerRow(@TempDir Path tmp) throws Exception {
        Path days = copyDays(tmp, 3, 2);
        try (ReadingSink sink = new KafkaReadingSink(kafka.bootstrapServers(), SMART.kafka().readings(),
                SMART.sampleRateHz(), "replay-it-kafka")) {
            BackblazeReplay.Totals totals = new BackblazeReplay(SMART).run(days, sink, 0, BackblazeReplay.Listener.NONE);
            assertThat(totals.readings()).isEqualTo(totals.rows());
            assertArrivesOncePerRow(totals.rows(), LocalDate.of(2013, 4, 13), LocalDate.of(2013, 4, 14));
        }
    }

    /** Copies {@code count} daily files of the 2013 data, from the {@code skip}th on, to {@code tmp/days}. */
    static Path copyDays(Path tmp, int skip, int count) throws Exception {
        Path days = Files.createDirectories(tmp.resolve("days"));
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().skip(skip).limit(count).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
            }
        }
        return days;
    }

    /** Records stamped from {@code first} to {@code last}: exactly {@code rows}, one per (serial, day). */
    private static void assertArrivesOncePerRow(long rows, LocalDate first, LocalDate last) {
        long from = first.toEpochDay() * DAY_MS;
        long to = last.toEpochDay() * DAY_MS;
        Set<String> seen = new HashSet<>();
        long[] count = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replay-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(SMART.kafka().readings()));
            await().atMost(DELIVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.timestamp() >= from && r.timestamp() <= to) {
                        count[0]++;
                        seen.add(r.key() + "@" + r.timestamp());
                    }
                }
                return count[0] >= rows;
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                if (r.timestamp() >= from && r.timestamp() <= to) {
                    count[0]++;
                }
            });
        }
        assertThat(count[0]).isEqualTo(rows);
        assertThat(seen).hasSize((int) rows);
    }
}
