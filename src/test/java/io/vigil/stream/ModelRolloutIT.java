package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.PacedReadings;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.ingest.Topics;
import io.vigil.model.ModelBundle;
import io.vigil.testkit.ScoredWindows;
import io.vigil.testkit.TestModels;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model roll-out on a real broker under traffic: a detector (as {@code vigil detect} builds it) follows the
 * models topic while a fleet sends readings. Model B is published, then a corrupt, a wrong-kind and a
 * wrong-features bundle, then A again (a roll-back), then C in shadow, ended by command. Every window is scored
 * exactly once; each device's score events switch A → B → A, each at one point; the three bad bundles are refused
 * and counted while scoring goes on; the shadow's scores land on the shadow topic only, no alert names it, and
 * once ended it scores nothing more.
 */
@ExtendWith(RealBrokers.class)
class ModelRolloutIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String MODELS = "vigil.models.rollout-it";
    static final double SECONDS = 200; // sensor time
    static final double SPEED = 2;     // sensor seconds per wall second: readings arrive over 100 s
    static final int BATCH = 10;       // samples per reading (100 ms at 100 Hz)
    static final Duration PHASE = Duration.ofSeconds(30);
    static final String SCENARIO = """
            name: model-rollout-it
            seed: 31
            topology: vibration
            devices:
              count: 6
              prefix: bearing-
            rateHz: 100
            durationSeconds: %s
            noiseStd: 0.05
            faults:
              - {devices: [bearing-03], mode: sudden, at: 20}
            """.formatted(SECONDS);

    @Test
    void detectorsSwitchBetweenBatchesRefuseBadBundlesRollBackAndScoreAShadow(@Kafka EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
        // given bundles A (the detector's file), B and C (same weights, other versions) and three bad ones
        Path a = TestModels.vibration(VIBRATION);
        String versionA = ModelBundle.load(a).metadata().version();
        Path b = rewrite(a, dir.resolve("b.zip"), m -> m.put("version", versionA + "-B"));
        Path c = rewrite(a, dir.resolve("c.zip"), m -> m.put("version", versionA + "-C"));
        Path wrongKind = rewrite(a, dir.resolve("kind.zip"), m -> m.put("kind", "adxl356"));
        Path otherFeatures = rewrite(a, dir.resolve("features.zip"),
                m -> ((ArrayNode) m.get("features")).set(0, m.textNode("w")));
        byte[] bytesA = Files.readAllBytes(a);
        byte[] corrupt = Arrays.copyOf(bytesA, bytesA.length / 2);
        Files.writeString(dir.resolve("scenario.yaml"), SCENARIO);
        Scenario scenario = ScenarioLoader.load(dir.resolve("scenario.yaml"));
        List<DeviceSeries> series = Fleet.of(scenario).generate(System.currentTimeMillis() - 300_000, SECONDS);
        Set<String> expectedWindows = ScoredWindows.expected(series, VIBRATION);
        Set<String> devices = series.stream().map(DeviceSeries::device).collect(Collectors.toSet());
        MeterRegistry registry = new SimpleMeterRegistry();

        String bootstrap = kafka.bootstrapServers();
        Topics.ensure(bootstrap, Map.of(), Topics.all(List.of(VIBRATION)), 2);
        try (Detector detector = Detector.builder().bootstrapServers(bootstrap).kinds(List.of(VIBRATION))
                .model(VIBRATION.name(), a).followModels(MODELS).partitions(2).metrics(registry).start()
                .awaitRunning(Duration.ofSeconds(60))) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> sensors = CompletableFuture.runAsync(() -> PacedReadings.publish(bootstrap, VIBRATION, series, BATCH, SPEED, "model-rollout-it-sensors", stop::get, n -> { }));
            try {
                // when B is published once every device is scored by A
                awaitEveryDevice(bootstrap, devices, versionA, sensors);
                ModelTopic.publish(bootstrap, Map.of(), MODELS, b, false);
                awaitEveryDevice(bootstrap, devices, versionA + "-B", sensors);
                // and three bad bundles follow, each keyed as a vibration bundle
                ModelTopic.publishRaw(bootstrap, MODELS, VIBRATION.name(), corrupt);
                ModelTopic.publishRaw(bootstrap, MODELS, VIBRATION.name(), Files.readAllBytes(wrongKind));
                ModelTopic.publishRaw(bootstrap, MODELS, VIBRATION.name(), Files.readAllBytes(otherFeatures));
                await().atMost(PHASE).until(() -> refused(registry) == 3);
                int scoredAfterRefusals = scores(bootstrap).size();
                await().atMost(PHASE).until(() -> scores(bootstrap).size() > scoredAfterRefusals + 100);
                // and A is published again (a roll-back), then C in shadow
                ModelTopic.publish(bootstrap, Map.of(), MODELS, a, false);
                awaitAfter(bootstrap, devices, versionA + "-B", versionA, sensors);
                ModelTopic.publish(bootstrap, Map.of(), MODELS, c, true);
                await().atMost(PHASE).until(() -> shadowScores(bootstrap).stream()
                        .map(ScoreEvent::deviceId).collect(Collectors.toSet()).equals(devices));
                // and the shadow is ended by command while the fleet still sends
                ModelTopic.endShadow(bootstrap, Map.of(), MODELS, VIBRATION.name());
                sensors.get(3, TimeUnit.MINUTES);
                await().atMost(Duration.ofMinutes(2)).until(() -> scores(bootstrap).size() >= expectedWindows.size());
            } finally {
                stop.set(true);
            }

            // then every window is scored exactly once
            List<ScoreEvent> scores = scores(bootstrap);
            Map<String, Integer> counts = ScoredWindows.scoreCounts(TopicReader.committed(bootstrap,
                    VIBRATION.kafka().scores(), Duration.ofSeconds(30)));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expectedWindows);
            assertThat(counts).as("score events per window").allSatisfy((window, n) -> assertThat(n).isOne());
            // and each device's windows, in time order, went A → B → A, each switch at one point
            Map<String, List<String>> runs = new TreeMap<>();
            scores.stream().sorted(Comparator.comparing(ScoreEvent::deviceId).thenComparing(ScoreEvent::windowEnd))
                    .forEach(e -> {
                        List<String> run = runs.computeIfAbsent(e.deviceId(), d -> new ArrayList<>());
                        if (run.isEmpty() || !run.get(run.size() - 1).equals(e.modelVersion())) {
                            run.add(e.modelVersion());
                        }
                    });
            assertThat(runs).hasSize(devices.size()).allSatisfy((device, run) -> assertThat(run)
                    .containsExactly(versionA, versionA + "-B", versionA));
            // and each bad bundle was refused once, for its own reason
            assertThat(refused(registry, ModelFeed.REASON_CORRUPT)).isEqualTo(1);
            assertThat(refused(registry, ModelFeed.REASON_KIND)).isEqualTo(1);
            assertThat(refused(registry, ModelFeed.REASON_MISMATCH)).isEqualTo(1);
            // and the shadow's scores are on the shadow topic only, all by C, and no alert names C
            List<ScoreEvent> shadow = shadowScores(bootstrap);
            assertThat(shadow).extracting(ScoreEvent::modelVersion).containsOnly(versionA + "-C");
            assertThat(scores).extracting(ScoreEvent::modelVersion).doesNotContain(versionA + "-C");
            // and once ended, the shadow scored nothing more while the live model went on
            Map<String, Long> lastShadow = shadow.stream()
                    .collect(Collectors.toMap(ScoreEvent::deviceId, ScoreEvent::windowEnd, Math::max));
            long liveAfterShadow = scores.stream()
                    .filter(e -> e.windowEnd() > lastShadow.getOrDefault(e.deviceId(), Long.MAX_VALUE)).count();
            assertThat(liveAfterShadow).isGreaterThan(100);
            List<AlertEvent> alerts = alerts(bootstrap);
            assertThat(alerts).extracting(AlertEvent::modelVersion).doesNotContain(versionA + "-C");
            double windows = registry.get(WindowingProcessor.SHADOW_WINDOWS).counter().count();
            double agreement = registry.get(WindowingProcessor.SHADOW_AGREEMENT).gauge().value();
            assertThat(windows).isEqualTo(shadow.size());
            // C has A's weights and threshold, so the two agree on every window
            assertThat(agreement).isEqualTo(1.0);
            System.out.printf("ModelRolloutIT: %d windows scored once each; per device %s; refused %.0f;"
                            + " shadow windows %.0f, agreement %.3f; live windows after the shadow ended %d;"
                            + " alerts %s%n", counts.size(),
                    runs.values().iterator().next(), refused(registry), windows, agreement, liveAfterShadow,
                    alerts.stream().map(e -> e.deviceId() + " " + e.state() + " " + e.modelVersion()).toList());
        }
    }

    /** A copy of {@code source} whose bundle.json was edited by {@code edit}. */
    private static Path rewrite(Path source, Path target, Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().equals("bundle.json")) {
                    ObjectNode metadata = (ObjectNode) json.readTree(bytes);
                    edit.accept(metadata);
                    bytes = json.writeValueAsBytes(metadata);
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return Files.write(target, out.toByteArray());
    }

    private static void awaitEveryDevice(String bootstrap, Set<String> devices, String version,
                                         CompletableFuture<Void> sensors) {
        await().atMost(PHASE).pollInterval(Duration.ofMillis(500))
                .failFast("sensors stopped first", sensors::isDone)
                .until(() -> scores(bootstrap).stream().filter(e -> e.modelVersion().equals(version))
                        .map(ScoreEvent::deviceId).collect(Collectors.toSet()).equals(devices));
    }

    /** Every device has a window scored by {@code version} after one scored by {@code before}. */
    private static void awaitAfter(String bootstrap, Set<String> devices, String before, String version,
                                   CompletableFuture<Void> sensors) {
        await().atMost(PHASE).pollInterval(Duration.ofMillis(500))
                .failFast("sensors stopped first", sensors::isDone)
                .until(() -> {
                    Map<String, Long> lastBefore = scores(bootstrap).stream()
                            .filter(e -> e.modelVersion().equals(before))
                            .collect(Collectors.toMap(ScoreEvent::deviceId, ScoreEvent::windowEnd, Math::max));
                    return scores(bootstrap).stream().filter(e -> e.modelVersion().equals(version)
                                    && e.windowEnd() > lastBefore.getOrDefault(e.deviceId(), Long.MAX_VALUE))
                            .map(ScoreEvent::deviceId).collect(Collectors.toSet()).equals(devices);
                });
    }

    private static double refused(MeterRegistry registry) {
        return registry.find(ModelFeed.REFUSED).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double refused(MeterRegistry registry, String reason) {
        return registry.get(ModelFeed.REFUSED).tag("reason", reason).counter().count();
    }

    private static List<ScoreEvent> scores(String bootstrap) {
        return events(bootstrap, VIBRATION.kafka().scores()).stream()
                .map(r -> ScoreEvent.serde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static List<ScoreEvent> shadowScores(String bootstrap) {
        return events(bootstrap, ModelTopic.shadowScores(VIBRATION.kafka().scores())).stream()
                .map(r -> ScoreEvent.serde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static List<AlertEvent> alerts(String bootstrap) {
        return events(bootstrap, VIBRATION.kafka().alerts()).stream()
                .map(r -> AlertEvent.serde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> events(String bootstrap, String topic) {
        return TopicReader.committed(bootstrap, topic, Duration.ofSeconds(10));
    }
}
