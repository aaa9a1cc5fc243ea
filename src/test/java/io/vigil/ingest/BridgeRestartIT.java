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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No loss across bridge restarts: sensors publish at QoS 1 while the bridge is stopped (gracefully
 * in-process, or a child JVM killed with SIGKILL) and started again four times under the same client id. The broker keeps the persistent session (subscription
 * and queued messages) while the bridge is away, and the bridge acknowledges a message only after
 * Kafka has it, so every reading must arrive; redelivery may write one twice, and the test counts that
 * (duplicates are told apart by device + sample time, the key the detector deduplicates on).
 */
@ExtendWith(RealBrokers.class)
class BridgeRestartIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final int READINGS = 30_000;
    static final int DEVICES = 10;
    /** Messages/s, so the restarts land mid-stream; a child JVM takes seconds to start, so it gets a slower fleet. */
    static final int RATE_IN_PROCESS = 2_000;
    static final int RATE_CHILD_PROCESS = 1_000;
    static final int RESTARTS = 4;
    static final String CLIENT_ID = "restart-it"; // same id = same session on the broker

    /** A running bridge that the test can take down: gracefully in-process, or with SIGKILL as a child JVM. */
    interface RunningBridge {
        void stop() throws Exception;
    }

    interface BridgeLauncher {
        RunningBridge start() throws Exception;
    }

    @Test
    void everyReadingArrivesAcrossFourBridgeRestarts(@Kafka EmbeddedKafka kafka, @Mosquitto MosquittoProcess mosquitto)
            throws Exception {
        runWithRestarts("stop/start", RATE_IN_PROCESS, kafka, mosquitto, () -> {
            Bridge bridge = start(mosquitto, kafka);
            return bridge::close; // flushes Kafka, then disconnects; unacknowledged messages stay with the broker
        });
    }

    @Test
    void everyReadingArrivesWhenTheBridgeProcessIsKilled(@TempDir Path dir, @Kafka EmbeddedKafka kafka,
            @Mosquitto MosquittoProcess mosquitto) throws Exception {
        // the real `vigil bridge` in a child JVM, killed with SIGKILL: no flush, no disconnect, no goodbye
        AtomicInteger launches = new AtomicInteger();
        runWithRestarts("SIGKILL", RATE_CHILD_PROCESS, kafka, mosquitto, () -> {
            Path log = dir.resolve("bridge-" + launches.incrementAndGet() + ".log");
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.vigil.cli.Vigil", "bridge",
                    "--broker", mosquitto.uri(), "--bootstrap", kafka.bootstrapServers(), "--kind", "vibration",
                    "--client-id", CLIENT_ID + "-process", "--metrics-port", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive()
                    || Files.readString(log).contains("Subscribed to"));
            assertThat(process.isAlive()).as("bridge process started: %s", Files.readString(log)).isTrue();
            return () -> {
                process.destroyForcibly(); // SIGKILL
                process.waitFor(30, TimeUnit.SECONDS);
            };
        });
    }

    private void runWithRestarts(String fault, int ratePerSecond, EmbeddedKafka kafka, MosquittoProcess mosquitto,
            BridgeLauncher launcher) throws Exception {
        // given a running bridge and a fleet publishing at a steady rate
        RunningBridge[] bridge = {launcher.start()};
        long ts0 = System.currentTimeMillis() - 60_000;
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> fleet = CompletableFuture.runAsync(() -> publish(mosquitto, ts0, ratePerSecond, published));

        // when the bridge goes down and, after a stretch of readings published while it is away, comes back
        long downMillis = 0;
        List<Integer> stops = new java.util.ArrayList<>();
        for (int r = 1; r <= RESTARTS; r++) {
            int stopAt = READINGS * r / (RESTARTS + 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= stopAt);
            stops.add(published.get());
            bridge[0].stop();
            long down = System.nanoTime();
            int backAt = Math.min(READINGS, stopAt + READINGS / 20); // 5 % of the stream published while down
            await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= backAt);
            bridge[0] = launcher.start();
            downMillis += (System.nanoTime() - down) / 1_000_000;
        }
        fleet.get(180, TimeUnit.SECONDS);

        // then every reading is in Kafka; duplicates are counted and reported
        // (wait for distinct readings, not for a record count: redelivered duplicates would end the wait early)
        List<ConsumerRecord<String, byte[]>> records = TopicReader.awaitUntil(kafka.bootstrapServers(),
                VIBRATION.kafka().readings(), r -> r.key().startsWith("restart-"),
                matched -> distinctReadings(matched).size() >= READINGS, Duration.ofSeconds(120));
        Set<String> distinct = distinctReadings(records);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < READINGS; i++) {
            expected.add("restart-" + (i % DEVICES) + "@" + (ts0 + i));
        }
        int duplicates = records.size() - distinct.size();
        int whilePublishing = (int) stops.stream().filter(n -> n < READINGS).count();
        System.out.printf("BridgeRestartIT [%s]: %d of %d stops while the fleet was publishing; published %d, received %d records, distinct %d, lost %d,"
                        + " duplicated %d; %d restarts, bridge down %d ms in all (including restart time)%n", fault,
                whilePublishing, RESTARTS, READINGS, records.size(), distinct.size(), expected.size() - distinct.size(), duplicates, RESTARTS,
                downMillis);
        assertThat(distinct).containsExactlyInAnyOrderElementsOf(expected); // on failure, lists only what is missing or extra
        bridge[0].stop();
    }

    /** The dedup key of a reading: device + sample time. */
    private static Set<String> distinctReadings(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> distinct = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            distinct.add(r.key() + "@" + r.timestamp());
        }
        return distinct;
    }

    private static Bridge start(MosquittoProcess mosquitto, EmbeddedKafka kafka) {
        return Bridge.builder()
                .broker(mosquitto.uri())
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId(CLIENT_ID)
                .metrics(new SimpleMeterRegistry())
                .start();
    }

    /** One message per reading, spread over the devices, paced to {@code ratePerSecond}. */
    private static void publish(MosquittoProcess mosquitto, long ts0, int ratePerSecond, AtomicInteger published) {
        try (MqttQos1Sender sender = MqttQos1Sender.connect(mosquitto.uri(), "restart-fleet", 1000)) {
            long started = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                long due = started + (long) i * 1_000_000_000L / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing a publisher, not waiting for a condition
                }
                String json = "{\"ts\": " + (ts0 + i) + ", \"x\": " + i + ", \"y\": 0, \"z\": 1}";
                sender.send("vigil/vibration/restart-" + (i % DEVICES), json.getBytes(StandardCharsets.UTF_8));
                published.incrementAndGet();
            }
            sender.drain();
        } catch (Exception e) {
            throw new IllegalStateException("publisher failed: " + e.getMessage(), e);
        }
    }
}
