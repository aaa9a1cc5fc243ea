package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.publish.MqttQos1Sender;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.PacedFleet;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Back-pressure while Kafka is unreachable: the bridge keeps every reading it holds unacknowledged, so
 * MQTT has at most the receive maximum in flight to it and queues the rest at the broker; the bridge's
 * memory stays bounded, nothing is dropped, and once Kafka is back every reading arrives. Twice: with
 * the bridge's own producer settings (records wait in the producer, in order, however long Kafka is
 * away), and with a delivery timeout shortened to 2 s as an operator might set it, so a 12 s outage
 * expires records several times and the bridge must send them again.
 */
@ExtendWith(RealBrokers.class)
class KafkaUnreachableIT {

    static final SensorKind VIBRATION = BridgeRestartIT.VIBRATION;
    static final int READINGS = 36_000;
    static final int DEVICES = 10;
    static final int RATE = 2_000; // messages/s
    static final int RECEIVE_MAXIMUM = Bridge.Builder.DEFAULT_RECEIVE_MAXIMUM;
    static final Duration OUTAGE = Duration.ofSeconds(12);
    /** What the bridge may hold on the heap during the outage beyond what it held before (receive maximum × a few kB). */
    static final long HEAP_GROWTH_BOUND = 16L << 20;

    @Kafka
    static EmbeddedKafka kafka;
    @Mosquitto
    static MosquittoProcess mosquitto;

    @Test
    void withTheBridgesProducerSettingsReadingsWaitInOrderAndNothingIsLost() throws Exception {
        Outage outage = run("default", Map.of());
        assertThat(outage.retries()).as("records Kafka refused (none expire)").isZero();
        assertThat(outage.duplicates()).as("readings written twice").isZero();
    }

    @Test
    void withAShortDeliveryTimeoutExpiredRecordsAreSentAgainAndNothingIsLost() throws Exception {
        Outage outage = run("delivery.timeout.ms=2000", Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000)); // ms; delivery ≥ linger + request
        assertThat(outage.retries()).as("records expired during the outage and sent again").isPositive();
    }

    /** What one outage left behind, for the per-test assertions. */
    record Outage(double retries, int duplicates) {
    }

    private Outage run(String label, Map<String, Object> producerOverrides) throws Exception {
        String prefix = "outage-" + label.replaceAll("[^a-z0-9]", "") + "-";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (Bridge bridge = Bridge.builder()
                .broker(mosquitto.uri())
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId("kafka-unreachable-" + prefix)
                .receiveMaximum(RECEIVE_MAXIMUM)
                .producerOverrides(producerOverrides)
                .metrics(registry)
                .start()) {
            // given a fleet publishing at a steady rate, and the bridge's in-flight count sampled every 10 ms
            AtomicInteger maxInFlight = new AtomicInteger();
            AtomicLong maxProducerBuffer = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> {
                maxInFlight.accumulateAndGet(bridge.inFlight(), Math::max);
                maxProducerBuffer.accumulateAndGet(producerBufferInUse(registry), Math::max);
            }, 0, 10, TimeUnit.MILLISECONDS);
            long ts0 = System.currentTimeMillis() - 60_000;
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> fleet = CompletableFuture.runAsync(() -> publish(prefix, ts0, published));

            // when Kafka goes away mid-stream, stays away while the fleet goes on publishing, and comes back
            await().atMost(Duration.ofSeconds(60)).failFast("publisher failed", fleet::isCompletedExceptionally)
                    .until(() -> published.get() >= READINGS / 6);
            long down = System.nanoTime();
            kafka.stop();
            long stopped = System.nanoTime();
            long heapAtStop = heapAfterGc();
            LockSupport.parkNanos(OUTAGE.toNanos() - (System.nanoTime() - down)); // a fixed outage, not a wait for a condition
            int publishedBeforeRestart = published.get();
            int inFlightAtRestart = bridge.inFlight();
            long heapAtRestart = heapAfterGc();
            Duration restart = kafka.restart();
            long up = System.nanoTime();
            fleet.get(120, TimeUnit.SECONDS);

            // then every reading is in Kafka, in-flight never passed the receive maximum, and nothing is left over
            List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(kafka.bootstrapServers(),
                    VIBRATION.kafka().readings(), rec -> rec.key().startsWith(prefix),
                    matched -> distinctReadings(matched).size() >= READINGS, Duration.ofSeconds(60));
            long caughtUp = System.nanoTime();
            Set<String> distinct = distinctReadings(records);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < READINGS; i++) {
                expected.add(prefix + (i % DEVICES) + "@" + (ts0 + i));
            }
            double retries = registry.find(BridgeMetrics.KAFKA_RETRIES).counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            System.out.printf("KafkaUnreachableIT [%s]: Kafka down %d ms (stop %d ms, restart %d ms); published %d"
                            + " (%d while Kafka was down), received %d records, distinct %d, lost %d, duplicated %d;"
                            + " in-flight max %d (receive maximum %d; %d when Kafka came back); records sent again %.0f;"
                            + " producer buffer max %d kB; heap after GC %d MB when Kafka stopped, %d MB when it came"
                            + " back; every reading in Kafka %d ms after it was back%n",
                    label, (up - down) / 1_000_000, (stopped - down) / 1_000_000, restart.toMillis(), READINGS,
                    publishedBeforeRestart - READINGS / 6, records.size(), distinct.size(),
                    expected.size() - distinct.size(), records.size() - distinct.size(), maxInFlight.get(),
                    RECEIVE_MAXIMUM, inFlightAtRestart, retries, maxProducerBuffer.get() >> 10, heapAtStop >> 20,
                    heapAtRestart >> 20, (caughtUp - up) / 1_000_000);
            assertThat(distinct).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(maxInFlight.get()).as("messages in flight to the bridge").isLessThanOrEqualTo(RECEIVE_MAXIMUM);
            assertThat(heapAtRestart - heapAtStop).as("heap growth while Kafka was down, bytes")
                    .isLessThan(HEAP_GROWTH_BOUND);
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.isConnected() && bridge.inFlight() == 0);
            return new Outage(retries, records.size() - distinct.size());
        } finally {
            sampler.shutdownNow();
        }
    }

    /** Bytes of the bridge producer's buffer holding records not yet acknowledged by Kafka. */
    private static long producerBufferInUse(SimpleMeterRegistry registry) {
        Gauge total = registry.find("kafka.producer.buffer.total.bytes").gauge();
        Gauge available = registry.find("kafka.producer.buffer.available.bytes").gauge();
        return total == null || available == null ? 0 : (long) (total.value() - available.value());
    }

    private static long heapAfterGc() {
        System.gc(); // a measurement of live data, not of garbage awaiting collection
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The dedup key of a reading: device + sample time. */
    private static Set<String> distinctReadings(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> distinct = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            distinct.add(r.key() + "@" + r.timestamp());
        }
        return distinct;
    }

    /** One message per reading, spread over the devices, paced to {@link #RATE}. */
    private static void publish(String prefix, long ts0, AtomicInteger published) {
        try (MqttQos1Sender sender = MqttQos1Sender.connect(mosquitto.uri(), prefix + "fleet", 1000)) {
            PacedFleet.publish(sender::send, prefix, DEVICES, READINGS, RATE, ts0, published);
            sender.drain();
        } catch (Exception e) {
            throw new IllegalStateException("publisher failed: " + e.getMessage(), e);
        }
    }
}
