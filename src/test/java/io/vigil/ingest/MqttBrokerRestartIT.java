package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.PacedFleet;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.ResendingPublisher;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No loss across MQTT broker restarts: mosquitto, with persistence on, is stopped (SIGTERM) and
 * started again on the same port twice while sensors publish at QoS 1. The broker saves the bridge's
 * persistent session (subscription, queued and in-flight messages) when it stops and restores it
 * when it starts; the bridge reconnects by itself (Paho's automatic reconnect) and resumes the
 * session, and every reading must reach Kafka. Duplicates (redelivered in-flight messages) are
 * counted by device + sample time.
 */
@ExtendWith(RealBrokers.class)
class MqttBrokerRestartIT {

    static final SensorKind VIBRATION = BridgeRestartIT.VIBRATION;
    static final int READINGS = 30_000;
    static final int DEVICES = 10;
    static final int RATE = 2_000; // messages/s: the restarts land mid-stream
    static final int RESTARTS = 2;
    /** How long the broker stays down each time: longer than the bridge's first reconnect attempt (1 s). */
    static final Duration BROKER_DOWN = Duration.ofSeconds(3);
    static final String DEVICE_PREFIX = "mqtt-restart-";

    @Test
    void everyReadingArrivesAcrossTwoMqttBrokerRestarts(@Kafka EmbeddedKafka kafka,
            @Mosquitto(persistent = true) MosquittoProcess mosquitto) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Bridge bridge = Bridge.builder()
                     .broker(mosquitto.uri())
                     .bootstrapServers(kafka.bootstrapServers())
                     .kinds(List.of(VIBRATION))
                     .clientId("mqtt-restart-it")
                     .metrics(registry)
                     .start()) {
            // given a bridge and a fleet publishing at a steady rate through a broker with persistence
            long ts0 = System.currentTimeMillis() - 60_000;
            AtomicInteger published = new AtomicInteger();
            AtomicReference<ResendingPublisher> publisher = new AtomicReference<>();
            CompletableFuture<Void> fleet = CompletableFuture.runAsync(() -> publish(mosquitto, ts0, published, publisher));

            // when the broker is stopped mid-stream, stays down a while, and is started again, twice
            List<String> restarts = new ArrayList<>();
            int inFlightAtStops = 0;
            for (int r = 1; r <= RESTARTS; r++) {
                int stopAt = READINGS * r / (RESTARTS + 1);
                await().atMost(Duration.ofSeconds(60)).failFast("publisher failed", fleet::isCompletedExceptionally)
                        .until(() -> published.get() >= stopAt);
                int atStop = published.get();
                inFlightAtStops += bridge.inFlight();
                mosquitto.stop();
                long down = System.nanoTime();
                LockSupport.parkNanos(BROKER_DOWN.toNanos()); // a fixed outage, not a wait for a condition
                Duration startup = mosquitto.restart();
                long up = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(bridge::isConnected);
                long bridgeBack = System.nanoTime();
                int reconnects = r;
                await().atMost(Duration.ofSeconds(30)).failFast("publisher failed", fleet::isCompletedExceptionally)
                        .until(() -> publisher.get().reconnects() >= reconnects);
                restarts.add(String.format("at %d published: down %d ms (restart %d ms), bridge reconnected %d ms after"
                                + " the broker was up", atStop, (up - down) / 1_000_000, startup.toMillis(),
                        (bridgeBack - up) / 1_000_000));
            }
            fleet.get(120, TimeUnit.SECONDS);

            // then every reading is in Kafka, and the bridge reconnected by itself once per restart
            List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(kafka.bootstrapServers(),
                    VIBRATION.kafka().readings(), rec -> rec.key().startsWith(DEVICE_PREFIX),
                    matched -> distinctReadings(matched).size() >= READINGS, Duration.ofSeconds(30));
            Set<String> distinct = distinctReadings(records);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < READINGS; i++) {
                expected.add(DEVICE_PREFIX + (i % DEVICES) + "@" + (ts0 + i));
            }
            System.out.printf("MqttBrokerRestartIT: published %d (%d published again after reconnects: unacknowledged, or refused while the broker was down),"
                            + " received %d records, distinct %d, lost %d, duplicated %d; %d readings unacknowledged at"
                            + " the bridge when the broker stopped; restarts: %s%n",
                    READINGS, publisher.get().resent(), records.size(), distinct.size(),
                    expected.size() - distinct.size(), records.size() - distinct.size(), inFlightAtStops, restarts);
            assertThat(distinct).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(registry.counter(BridgeMetrics.RECONNECTS).count()).isEqualTo(RESTARTS);
            assertThat(bridge.inFlight()).isZero();
        }
    }

    /** The dedup key of a reading: device + sample time. */
    private static Set<String> distinctReadings(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> distinct = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            distinct.add(r.key() + "@" + r.timestamp());
        }
        return distinct;
    }

    /** One message per reading, spread over the devices, paced to {@link #RATE}; survives broker restarts. */
    private static void publish(MosquittoProcess mosquitto, long ts0, AtomicInteger published,
                                AtomicReference<ResendingPublisher> holder) {
        try (ResendingPublisher sender = ResendingPublisher.connect(mosquitto.uri(), "mqtt-restart-fleet")) {
            holder.set(sender);
            PacedFleet.publish(sender::send, DEVICE_PREFIX, DEVICES, READINGS, RATE, ts0, published);
            sender.drain(Duration.ofSeconds(60));
        } catch (Exception e) {
            throw new IllegalStateException("publisher failed: " + e.getMessage(), e);
        }
    }
}
