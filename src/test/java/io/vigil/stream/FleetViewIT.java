package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.ingest.Topics;
import io.vigil.metrics.LiveBoard;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.PacedReadings;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TestModels;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two detectors in one application id, each with its live page: with the {@link FleetView} both pages
 * (and both sets of per-device series) list every device once, though each instance scores only its
 * partitions' devices; when the instance scoring a device in alert closes, the other shows its devices
 * with fresh scores and that device still in ALERT. A fresh fleet view started late shows the open
 * episode from the alerts topic.
 */
@ExtendWith(RealBrokers.class)
class FleetViewIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String APPLICATION_ID = "fleet-view-it";
    static final double SECONDS = 300; // sensor time: at most 150 s of publishing, stopped when the test is done
    static final double SPEED = 2;     // sensor seconds per wall second
    static final int BATCH = 10;       // samples per reading
    static final int PARTITIONS = 4;
    static final String FAILING = "bearing-03";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String DEVICE_SCORE_SERIES = "vigil_device_score\\{device=\"([^\"]+)\",kind=\"vibration\"} \\S+";

    static final String SCENARIO = """
            name: fleet-view-it
            seed: 31
            topology: vibration
            devices:
              count: 8
              prefix: bearing-
            rateHz: 100
            durationSeconds: %s
            noiseStd: 0.05
            faults:
              - {devices: [%s], mode: sudden, at: 10}
            """.formatted(SECONDS, FAILING);

    @Test
    void everyInstanceShowsEveryDeviceOnceAndTheSurvivorShowsMovedDevicesLiveWithTheirAlert(@Kafka EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        // given a fleet of 8 bearings, one failing early, on 4 readings partitions, and two detectors in one group
        Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        Scenario scenario = ScenarioLoader.load(dir.resolve("scenario.yaml"));
        List<DeviceSeries> series = Fleet.of(scenario).generate(System.currentTimeMillis() - 5_000, SECONDS);
        List<String> devices = series.stream().map(DeviceSeries::device).sorted().toList();
        Path model = TestModels.vibration(VIBRATION);

        Topics.ensure(kafka.bootstrapServers(), Map.of(), Topics.all(List.of(VIBRATION)), PARTITIONS);
        List<Instance> instances = new ArrayList<>();
        CompletableFuture<Void> sensors = null;
        AtomicBoolean stop = new AtomicBoolean();
        try {
            instances.add(Instance.start(kafka, model, dir.resolve("a")));
            instances.add(Instance.start(kafka, model, dir.resolve("b")));
            for (Instance instance : instances) {
                instance.detector().awaitRunning(PATIENCE);
            }
            sensors = CompletableFuture.runAsync(() -> PacedReadings.publish(kafka.bootstrapServers(), VIBRATION, series, BATCH, SPEED, "fleet-view-it-sensors", stop::get, n -> { }));
            CompletableFuture<Void> running = sensors;

            // when both score, each its share of the partitions
            int failingPartition = Utils.toPositive(Utils.murmur2(FAILING.getBytes(StandardCharsets.UTF_8)))
                    % PARTITIONS;
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .failFast("sensors failed", running::isCompletedExceptionally)
                    .until(() -> instances.stream().allMatch(i -> shows(i.live(), devices, FAILING, 0)));
            Instance owner = instances.stream()
                    .filter(i -> i.readingsPartitions().contains(failingPartition)).findFirst().orElseThrow();
            Instance survivor = instances.get(instances.indexOf(owner) == 0 ? 1 : 0);

            // then each page lists every device exactly once, the failing one in ALERT, though neither
            // instance scores them all, and each exports the per-device series of every device
            assertThat(owner.readingsPartitions()).isNotEmpty().hasSizeLessThan(PARTITIONS);
            assertThat(survivor.readingsPartitions()).isNotEmpty().doesNotContain(failingPartition);
            for (Instance instance : instances) {
                JsonNode live = instance.live();
                assertThat(live.get("devices")).extracting(d -> d.get("device").asText())
                        .containsExactlyElementsOf(devices);
                assertThat(live.get("devices")).filteredOn(d -> d.get("alert").asBoolean())
                        .extracting(d -> d.get("device").asText()).containsExactly(FAILING);
                assertThat(series(instance.metrics(), DEVICE_SCORE_SERIES))
                        .containsExactlyElementsOf(devices);
            }

            // when the instance scoring the failing device closes
            long closedAtMs = System.currentTimeMillis();
            owner.close();
            instances.remove(owner);

            // then the survivor takes every partition, and then shows every device with windows later
            // than any it had when it took them (scored by the survivor itself: the closed instance
            // committed its last scores before close returned), the failing one still in ALERT
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> survivor.readingsPartitions().size() == PARTITIONS);
            long tookOverMs = System.currentTimeMillis();
            Map<String, Long> windowEndAtTakeover = windowEnds(survivor.live());
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .failFast("sensors failed", running::isCompletedExceptionally)
                    .until(() -> shows(survivor.live(), devices, FAILING, tookOverMs)
                            && windowEnds(survivor.live()).entrySet().stream()
                            .allMatch(e -> e.getValue() > windowEndAtTakeover.get(e.getKey())));
            long liveAgainMs = System.currentTimeMillis();
            JsonNode live = survivor.live();
            assertThat(live.get("devices")).extracting(d -> d.get("device").asText())
                    .containsExactlyElementsOf(devices);
            assertThat(live.get("devices")).filteredOn(d -> d.get("alert").asBoolean())
                    .extracting(d -> d.get("device").asText()).containsExactly(FAILING);
            System.out.printf("FleetViewIT: instance %s closed (it scored readings partition %d, %s's);"
                            + " the survivor owned all %d partitions %d ms after the close and showed all %d"
                            + " devices with newer windows %d ms after that, %s in ALERT%n",
                    owner.name(), failingPartition, FAILING, PARTITIONS, tookOverMs - closedAtMs,
                    devices.size(), liveAgainMs - tookOverMs, FAILING);

            // and a fleet view started now finds the open episode on the alerts topic
            LiveBoard late = new LiveBoard(new SimpleMeterRegistry(), LiveBoard.DEFAULT_DEVICE_CAP);
            try (FleetView view = FleetView.start(kafka.bootstrapServers(), Map.of(), List.of(VIBRATION), late)) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> late.devices().stream().anyMatch(d -> d.device().equals(FAILING) && d.alert()));
                assertThat(view.unreadable()).isZero();
            }
        } finally {
            stop.set(true);
            if (sensors != null) {
                sensors.exceptionally(e -> null).get(); // sensors stop before the broker does
            }
            instances.forEach(Instance::close);
        }
    }

    /**
     * True when {@code live} lists exactly {@code devices}, every one scored at or after {@code sinceMs},
     * and {@code alerting} (only it) in alert.
     */
    private static boolean shows(JsonNode live, List<String> devices, String alerting, long sinceMs) {
        List<JsonNode> rows = StreamSupport.stream(live.get("devices").spliterator(), false).toList();
        return rows.stream().map(d -> d.get("device").asText()).toList().equals(devices)
                && rows.stream().allMatch(d -> !d.get("score").isNull() && d.get("updatedMs").asLong() >= sinceMs)
                && rows.stream().filter(d -> d.get("alert").asBoolean()).map(d -> d.get("device").asText())
                .toList().equals(List.of(alerting));
    }

    /** Each listed device's latest window end. */
    private static Map<String, Long> windowEnds(JsonNode live) {
        Map<String, Long> ends = new java.util.HashMap<>();
        live.get("devices").forEach(d -> ends.put(d.get("device").asText(), d.get("windowEndMs").asLong()));
        return ends;
    }

    /** Group 1 of every line of Prometheus text {@code metrics} that matches {@code line} whole, sorted. */
    private static List<String> series(String metrics, String line) {
        Pattern pattern = Pattern.compile(line);
        return metrics.lines().map(pattern::matcher).filter(Matcher::matches).map(m -> m.group(1)).sorted().toList();
    }

    /** One detector as {@code vigil detect} builds it, with its telemetry and metrics server. */
    private record Instance(String name, Telemetry telemetry, MetricsServer server, Detector detector)
            implements AutoCloseable {

        static Instance start(EmbeddedKafka kafka, Path model, Path stateDir) {
            Telemetry telemetry = Telemetry.create();
            MetricsServer server = MetricsServer.start("127.0.0.1", 0, telemetry);
            Detector detector = Detector.builder()
                    .bootstrapServers(kafka.bootstrapServers())
                    .kinds(List.of(VIBRATION))
                    .model(VIBRATION.name(), model)
                    .applicationId(APPLICATION_ID)
                    .stateDir(stateDir)
                    .metrics(telemetry.registry())
                    .settings(registry -> new DetectorSettings(DetectorSettings.DEFAULT_BATCH_SIZE,
                            DetectorSettings.DEFAULT_FLUSH_INTERVAL, registry, telemetry.board()))
                    .start();
            return new Instance(stateDir.getFileName().toString(), telemetry, server, detector);
        }

        java.util.Set<Integer> readingsPartitions() {
            return detector.activePartitions(VIBRATION.kafka().readings());
        }

        JsonNode live() {
            try {
                return JSON.readTree(get("/api/live"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String metrics() {
            return get("/metrics");
        }

        private String get(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            detector.close();
            server.close();
            telemetry.close();
        }
    }
}
