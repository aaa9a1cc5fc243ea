package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.FreePorts;
import io.vigil.ingest.Topics;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.PacedReadings;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.ScoredWindows;
import io.vigil.testkit.TestModels;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code vigil detect} in a child JVM, killed with SIGKILL mid-stream and started again on
 * the same state folder. Under exactly-once the killed instance's open transaction is aborted, the
 * new one restores its windows, pending windows and alert states from the changelogs, and carries
 * on: every window is scored exactly once in the scores topic as a {@code read_committed} consumer
 * sees it, and an alert RAISED before the kill is neither raised again nor lost, while one that
 * starts after the kill is raised once. Both instances run with the same {@code --instance-id}, so
 * the second resumes without waiting for the first one's session to time out.
 */
@ExtendWith(RealBrokers.class)
class DetectorRestartIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final double SECONDS = 60;  // sensor time
    static final double SPEED = 2;     // sensor seconds per wall second: the readings arrive over 30 s
    static final int BATCH = 10;       // samples per reading, as gateways batch (100 ms at 100 Hz)
    static final String FAILS_BEFORE_KILL = "bearing-02";
    static final String FAILS_AFTER_KILL = "bearing-05";
    static final String APPLICATION_ID = "detector-restart-it";
    static final Duration DRAINS = Duration.ofMinutes(3);
    /**
     * Consumer group session timeout of the detector, longer than the test waits for the restarted one
     * to run: without static membership ({@code --instance-id}) it could only take the killed
     * instance's partitions once this expired.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofMinutes(3);
    static final String INSTANCE_ID = "detector-restart-it";
    static final Pattern PENDING = Pattern.compile("(\\d+) windows cut before a restart are pending");

    static final String SCENARIO = """
            name: detector-restart-it
            seed: 23
            topology: vibration
            devices:
              count: 6
              prefix: bearing-
            rateHz: 100
            durationSeconds: %s
            noiseStd: 0.05
            faults:
              - {devices: [%s], mode: sudden, at: 10}
              - {devices: [%s], mode: sudden, at: 45}
            """.formatted(SECONDS, FAILS_BEFORE_KILL, FAILS_AFTER_KILL);

    @Test
    void aKilledDetectorResumesFromItsChangelogsScoringEveryWindowOnceAndRaisingEveryAlertOnce(@TempDir Path dir,
            @Kafka EmbeddedKafka kafka)
            throws Exception {
        // given a fleet with a device failing early and one failing late, and `vigil detect` running on it
        Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        Scenario scenario = ScenarioLoader.load(dir.resolve("scenario.yaml"));
        Path topologies = topologiesWithModel(dir, TestModels.vibration(VIBRATION));
        long startMs = System.currentTimeMillis() - 120_000;
        List<DeviceSeries> series = Fleet.of(scenario).generate(startMs, SECONDS);
        Set<String> expectedReadings = ScoredWindows.expectedReadings(series);
        Set<String> expectedWindows = ScoredWindows.expected(series, VIBRATION);

        Topics.ensureAll(kafka.bootstrapServers(), List.of(VIBRATION));
        Detector first = Detector.start(kafka, topologies, dir, 1);
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> sensors = CompletableFuture.runAsync(() -> PacedReadings.publish(kafka.bootstrapServers(), VIBRATION, series, BATCH, SPEED, "detector-restart-it-sensors", () -> false, published::addAndGet));
        try {
            // when the detector is killed once the early alert is committed and the stream is under way
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .failFast("sensors failed", sensors::isCompletedExceptionally)
                    .until(() -> published.get() >= expectedReadings.size() * 2 / 5
                            && alerts(kafka).contains(FAILS_BEFORE_KILL + " RAISED"));
            int publishedAtKill = published.get();
            int scoredBeforeKill = committedScores(kafka).size();
            long killed = System.nanoTime();
            first.kill();
            Detector second = Detector.start(kafka, topologies, dir, 2);
            long running = System.nanoTime();
            try {
                sensors.get(DRAINS.toSeconds(), TimeUnit.SECONDS);
                await().atMost(DRAINS).pollInterval(Duration.ofSeconds(2))
                        .until(() -> committedScores(kafka).size() >= expectedWindows.size());
                long drained = System.nanoTime();

                // then every reading is there, every window is scored exactly once, every alert is raised once
                Map<String, Integer> readings = ScoredWindows.readingCounts(TopicReader.committed(
                        kafka.bootstrapServers(), VIBRATION.kafka().readings(), Duration.ofSeconds(60)));
                Map<String, Integer> scores = committedScores(kafka);
                List<String> alerts = alerts(kafka);
                int aborted = TopicReader.readUntil(kafka.bootstrapServers(), VIBRATION.kafka().scores(), r -> true,
                        r -> false, Duration.ofSeconds(5)).size() - scores.values().stream().mapToInt(n -> n).sum();
                System.out.printf("DetectorRestartIT: SIGKILL after %d of %d samples published and %d of %d windows"
                                + " scored; restarted and RUNNING in %d ms (%s windows pending in the changelog"
                                + " rescored); readings %d, distinct %d, lost %d; windows expected %d, scored %d,"
                                + " distinct %d, missing %d, scored twice %d; score records of aborted transactions"
                                + " %d; alerts %s; every window scored %d ms after the kill%n",
                        publishedAtKill, expectedReadings.size(), scoredBeforeKill, expectedWindows.size(),
                        (running - killed) / 1_000_000, second.pendingReloaded(),
                        readings.values().stream().mapToInt(n -> n).sum(), readings.size(),
                        expectedReadings.size() - readings.size(), expectedWindows.size(),
                        scores.values().stream().mapToInt(n -> n).sum(), scores.size(),
                        expectedWindows.size() - scores.size(), ScoredWindows.duplicates(scores), aborted, alerts,
                        (drained - killed) / 1_000_000);
                assertThat(readings.keySet()).containsExactlyInAnyOrderElementsOf(expectedReadings);
                assertThat(scores.keySet()).containsExactlyInAnyOrderElementsOf(expectedWindows);
                assertThat(scores).as("score events per window").allSatisfy((window, n) -> assertThat(n).isOne());
                assertThat(alerts).containsExactlyInAnyOrder(FAILS_BEFORE_KILL + " RAISED", FAILS_AFTER_KILL + " RAISED");
                assertThat(second.isAlive()).as("restarted detector still running: %s", second.log()).isTrue();
                assertThat(Duration.ofNanos(running - killed)).as("restart to RUNNING, static membership")
                        .isLessThan(SESSION_TIMEOUT);

                // and the restarted process shows what its alert store holds: both episodes open, counted
                // once, on the live page and in the per-device series
                String metrics = second.get("/metrics");
                assertThat(series(metrics, "vigil_detector_alerts_active\\{kind=\"vibration\"} (\\S+)"))
                        .containsExactly("2.0");
                assertThat(series(metrics, "vigil_device_alert\\{device=\"([^\"]+)\",kind=\"vibration\"} 1\\.0"))
                        .containsExactlyInAnyOrder(FAILS_BEFORE_KILL, FAILS_AFTER_KILL);
                JsonNode live = new ObjectMapper().readTree(second.get("/api/live"));
                assertThat(live.get("devices")).filteredOn(d -> d.get("alert").asBoolean())
                        .extracting(d -> d.get("device").asText())
                        .containsExactlyInAnyOrder(FAILS_BEFORE_KILL, FAILS_AFTER_KILL);
                // every drop, reset and dead-letter series is there from the start, whether or not it happened
                assertThat(series(metrics, "vigil_detector_samples_dropped_total\\{kind=\"vibration\",reason=\"([a-z-]+)\"} \\S+"))
                        .containsExactlyInAnyOrder("duplicate", "late");
                assertThat(series(metrics, "vigil_detector_window_resets_total\\{kind=\"vibration\",reason=\"([a-z-]+)\"} \\S+"))
                        .containsExactlyInAnyOrder("gap", "clock");
                assertThat(series(metrics,
                        "vigil_detector_records_deadlettered_total\\{kind=\"vibration\",reason=\"([a-z-]+)\"} \\S+"))
                        .containsExactlyInAnyOrder(java.util.Arrays.stream(ReadingParser.Reason.values())
                                .map(ReadingParser.Reason::tag).toArray(String[]::new));
                // and neither start logged Kafka's GlobalThread warning (issue 15)
                assertThat(first.log() + second.log()).doesNotContain("Processing exception handler is not enabled");
            } finally {
                second.kill();
            }
        } finally {
            first.kill();
            sensors.cancel(true);
        }
    }

    /** Group 1 of every line of Prometheus text {@code metrics} that matches {@code line} whole. */
    private static List<String> series(String metrics, String line) {
        Pattern pattern = Pattern.compile(line);
        return metrics.lines().map(pattern::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    /** The vibration topology, its model path replaced by the test model's absolute path. */
    private static Path topologiesWithModel(Path dir, Path model) throws Exception {
        Path topologies = Files.createDirectories(dir.resolve("topologies"));
        String yaml = Files.readString(SensorKindLoader.DEFAULT_DIR.resolve("vibration.yaml"))
                .replaceAll("(?m)^model: .*$", "model: " + model.toAbsolutePath());
        Files.writeString(topologies.resolve("vibration.yaml"), yaml);
        return topologies;
    }

    private static Map<String, Integer> committedScores(EmbeddedKafka kafka) {
        return ScoredWindows.scoreCounts(TopicReader.committed(kafka.bootstrapServers(), VIBRATION.kafka().scores(),
                Duration.ofSeconds(60)));
    }

    /** Committed alert events as {@code "<device> <state>"}, in topic order per device. */
    private static List<String> alerts(EmbeddedKafka kafka) {
        return TopicReader.committed(kafka.bootstrapServers(), VIBRATION.kafka().alerts(), Duration.ofSeconds(60))
                .stream()
                .map(ConsumerRecord::value)
                .map(bytes -> AlertEvent.serde().deserializer().deserialize("", bytes))
                .map(a -> a.deviceId() + " " + a.state())
                .toList();
    }

    /** {@code vigil detect} in a child JVM, as an operator runs it; its output goes to a log file. */
    private record Detector(Process process, Path logFile, int metricsPort) {

        static Detector start(EmbeddedKafka kafka, Path topologies, Path dir, int launch) throws Exception {
            Path log = dir.resolve("detect-" + launch + ".log");
            int metricsPort = FreePorts.pick();
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx1g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-Dorg.bytedeco.javacpp.maxbytes=0",
                    "-cp", System.getProperty("java.class.path"), "io.vigil.cli.Vigil", "detect",
                    "--bootstrap", kafka.bootstrapServers(), "--topologies", topologies.toString(),
                    "--application-id", APPLICATION_ID, "--state-dir", dir.resolve("state").toString(),
                    "--metrics-port", String.valueOf(metricsPort), "--instance-id", INSTANCE_ID)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            // Without --instance-id the restarted instance could only take the partitions once the group
            // dropped the killed member, after its session timeout (45 s by default: RUNNING 46-50 s after
            // the kill). Set here longer than the wait below, so only static membership can pass.
            builder.environment().put("VIGIL_KAFKA_SESSION_TIMEOUT_MS", String.valueOf(SESSION_TIMEOUT.toMillis()));
            Detector detector = new Detector(builder.start(), log, metricsPort);
            await().atMost(Duration.ofSeconds(120)).until(() -> !detector.isAlive() || detector.log().contains("-> RUNNING"));
            assertThat(detector.isAlive()).as("detector %d started: %s", launch, detector.log()).isTrue();
            return detector;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** The body of a GET on the detector's metrics server. */
        String get(String path) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        }

        /** SIGKILL: no commit, no close, no goodbye. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (java.io.IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        /** Windows the detector found pending in its restored store and scored first, as it logged them. */
        String pendingReloaded() {
            Matcher m = PENDING.matcher(log());
            return m.find() ? m.group(1) : "0";
        }
    }
}
