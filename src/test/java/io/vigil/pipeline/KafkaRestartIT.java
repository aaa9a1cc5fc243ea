package io.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.stream.DetectorMetrics;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.ScoredWindows;
import io.vigil.testkit.TestModels;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline across a Kafka restart: while a fleet publishes, the Kafka broker is shut down
 * and started again on the same ports and log folder. The bridge holds its readings unacknowledged
 * and catches up; the detector (Kafka Streams, exactly-once) reconnects by itself. Every reading must
 * reach the readings topic and every window must be scored exactly once in the scores topic as an
 * exactly-once consumer sees it ({@code read_committed}).
 */
@ExtendWith(RealBrokers.class)
@Mosquitto // the pipeline starts its own
class KafkaRestartIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final double SECONDS = 40; // sensor time
    static final double SPEED = 2;    // sensor seconds per wall second: the fleet publishes for 20 s
    static final Duration KAFKA_DOWN = Duration.ofSeconds(5);
    static final Duration DRAINS = Duration.ofMinutes(3);

    static final String SCENARIO = """
            name: kafka-restart-it
            seed: 11
            topology: vibration
            devices:
              count: 8
              prefix: bearing-
            rateHz: 100
            durationSeconds: %s
            noiseStd: 0.05
            """.formatted(SECONDS);

    @Test
    void everyReadingArrivesAndEveryWindowIsScoredOnceAcrossAKafkaRestart(@TempDir Path dir, @Kafka EmbeddedKafka kafka)
            throws Exception {
        // given a healthy fleet, a real model, and the pipeline as the demo wires it, on a Kafka the test can restart
        Path scenarioFile = dir.resolve("kafka-restart-it.yaml");
        Files.writeString(scenarioFile, SCENARIO);
        Scenario scenario = ScenarioLoader.load(scenarioFile);
        Path model = TestModels.vibration(VIBRATION);
        long startMs = System.currentTimeMillis() - 120_000; // sensor time in the past
        List<DeviceSeries> series = Fleet.of(scenario).generate(startMs, SECONDS);
        Set<String> expectedReadings = ScoredWindows.expectedReadings(series);
        Set<String> expectedWindows = ScoredWindows.expected(series, VIBRATION);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (Pipeline pipeline = Pipeline.builder()
                     .externalKafka(kafka.bootstrapServers())
                     .embeddedMqtt(MosquittoProcess::start)
                     .kinds(List.of(VIBRATION))
                     .model(VIBRATION.name(), model)
                     .applicationId("kafka-restart-it")
                     .bridgeClientId("kafka-restart-it-bridge")
                     .metrics(registry)
                     .steps(line -> System.out.println("KafkaRestartIT: " + line))
                     .start();
             FleetRun fleet = FleetRun.start(Fleet.of(scenario), VIBRATION, pipeline.mqttUri(), SPEED,
                     FleetRun.BATCH_MS, SECONDS, startMs, Duration.ofMillis(100), p -> { })) {

            // when Kafka is shut down a third of the way through the stream, stays down, and starts again
            await().atMost(Duration.ofSeconds(60)).failFast("fleet failed", fleet.done()::isCompletedExceptionally)
                    .until(() -> fleet.latest() != null && fleet.latest().samples() >= expectedReadings.size() / 3);
            long publishedAtStop = fleet.latest().samples();
            long down = System.nanoTime();
            kafka.stop();
            long stopped = System.nanoTime();
            LockSupport.parkNanos(KAFKA_DOWN.toNanos()); // a fixed outage, not a wait for a condition
            Duration restart = kafka.restart();
            long up = System.nanoTime();
            double scoredAtRestart = scored(registry);
            await().atMost(Duration.ofSeconds(90)).until(() -> scored(registry) > scoredAtRestart);
            long scoringAgain = System.nanoTime();
            MqttFleetPublisher.Progress published = fleet.done().get(DRAINS.toSeconds(), TimeUnit.SECONDS);

            // then every reading is in the readings topic once, and every window is scored exactly once
            await().atMost(DRAINS).pollInterval(Duration.ofSeconds(2)).until(() -> ScoredWindows.scoreCounts(
                    TopicReader.committed(kafka.bootstrapServers(), VIBRATION.kafka().scores(), Duration.ofSeconds(60)))
                    .size() >= expectedWindows.size());
            long drained = System.nanoTime();
            Map<String, Integer> scores = ScoredWindows.scoreCounts(
                    TopicReader.committed(kafka.bootstrapServers(), VIBRATION.kafka().scores(), Duration.ofSeconds(60)));
            List<ConsumerRecord<String, byte[]>> readingRecords =
                    TopicReader.committed(kafka.bootstrapServers(), VIBRATION.kafka().readings(), Duration.ofSeconds(60));
            Map<String, Integer> readings = ScoredWindows.readingCounts(readingRecords);
            System.out.printf("KafkaRestartIT: Kafka down %d ms (stop %d ms, restart %d ms) after %d of %d samples;"
                            + " readings published %d, received %d, distinct %d, lost %d, duplicated %d; windows expected"
                            + " %d, scored %d, distinct %d, missing %d, scored twice %d; detector scoring again %d ms after"
                            + " Kafka was back, every window scored %d ms after%n",
                    (up - down) / 1_000_000, (stopped - down) / 1_000_000, restart.toMillis(), publishedAtStop,
                    expectedReadings.size(), published.samples(), readings.values().stream().mapToInt(n -> n).sum(),
                    readings.size(), expectedReadings.size() - readings.size(), ScoredWindows.duplicates(readings),
                    expectedWindows.size(), scores.values().stream().mapToInt(n -> n).sum(), scores.size(),
                    expectedWindows.size() - scores.size(), ScoredWindows.duplicates(scores),
                    (scoringAgain - up) / 1_000_000, (drained - up) / 1_000_000);
            assertThat(published.samples()).isEqualTo(expectedReadings.size());
            assertThat(readings.keySet()).containsExactlyInAnyOrderElementsOf(expectedReadings);
            assertThat(scores.keySet()).containsExactlyInAnyOrderElementsOf(expectedWindows);
            assertThat(scores).as("score events per window").allSatisfy((window, n) -> assertThat(n).isOne());
            assertThat(pipeline.detectorState()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static double scored(SimpleMeterRegistry registry) {
        return registry.find(DetectorMetrics.WINDOWS_SCORED).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
