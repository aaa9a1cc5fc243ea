package io.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.bench.PipelineBench;
import io.vigil.demo.EventTail;
import io.vigil.embedded.EmbeddedMqtt;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.testkit.TopicReader;
import io.vigil.model.Trainer;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through real brokers in this JVM, exactly as {@code vigil demo} wires it:
 * simulator → MQTT 5 (mosquitto if installed, else HiveMQ) → bridge → Kafka → detector (a real model,
 * trained once on the healthy fleet and cached under {@code target/}) → score and alert events.
 */
class PipelineIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    /** Cached across runs of this test; {@code mvn clean} retrains it. */
    static final Path MODEL = Path.of("target", "pipeline-it", "vibration.zip");
    static final List<String> FAULTY = List.of("bearing-02", "bearing-05");
    static final double FAULT_AT_SECONDS = 20;
    static final double SECONDS = 60;
    /**
     * Sensor time from the fault to the window that raises its alert: raiseAfter 3 hops + one window, with
     * room. Sensor time, not wall-clock: the fleet's samples are stamped entirely in the past and published
     * as fast as the broker takes them, so this bounds how many samples after the fault the detector needs,
     * not how long it takes; wall-clock latency is what {@code vigil bench pipeline} measures.
     */
    static final long DETECTION_BOUND_MS = 2_000;
    static final Duration PIPELINE_DRAINS = Duration.ofMinutes(3);

    static final String SCENARIO = """
            name: pipeline-it
            seed: 7
            topology: vibration
            devices:
              count: 6
              prefix: bearing-
            rateHz: 100
            durationSeconds: %s
            noiseStd: 0.05
            faults:
              - devices: [%s]
                mode: sudden
                at: %s
            """.formatted(SECONDS, String.join(", ", FAULTY), FAULT_AT_SECONDS);

    @Test
    void faultyDevicesAreRaisedPromptlyHealthyOnesNeverAndNoReadingIsLost(@TempDir Path dir) throws Exception {
        // given a compressed-time fleet (6 bearings, 2 failing suddenly at 20 s, 60 s of sensor time) and a real model
        Path scenarioFile = dir.resolve("pipeline-it.yaml");
        Files.writeString(scenarioFile, SCENARIO);
        Scenario scenario = ScenarioLoader.load(scenarioFile);
        Path model = ModelCache.ensure(VIBRATION, MODEL, ModelCache.HEALTHY_SCENARIO, smallTrainingBudget(),
                Trainer.Progress.NONE, System.out::println);
        long samplesPerDevice = scenario.samplesIn(SECONDS);
        long startMs = System.currentTimeMillis() - (long) (SECONDS * 1000); // sensor time entirely in the past
        long faultMs = startMs + (long) (FAULT_AT_SECONDS * 1000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Long> scoresPerDevice = new ConcurrentHashMap<>();

        try (Pipeline pipeline = Pipeline.builder()
                .embeddedMqtt(mqttBroker())
                .kinds(List.of(VIBRATION))
                .model(VIBRATION.name(), model)
                .applicationId("pipeline-it")
                .bridgeClientId("pipeline-it-bridge")
                .metrics(registry)
                .steps(line -> System.out.println("PipelineIT: " + line))
                .start();
             EventTail tail = EventTail.start(pipeline.bootstrapServers(), pipeline.kinds(), EventTail.From.BEGINNING,
                     counting(scoresPerDevice))) {

            // when the fleet publishes as fast as the broker takes it
            long began = System.nanoTime();
            MqttFleetPublisher.Progress published;
            try (FleetRun fleet = FleetRun.start(Fleet.of(scenario), VIBRATION, pipeline.mqttUri(), 0,
                    FleetRun.BATCH_MS, SECONDS, startMs, Duration.ofSeconds(10), p -> { })) {
                published = fleet.done().get(PIPELINE_DRAINS.toSeconds(), TimeUnit.SECONDS);
            }
            await().atMost(PIPELINE_DRAINS).until(() -> scoresPerDevice.values().stream().mapToLong(Long::longValue)
                    .sum() >= scenario.deviceCount() * PipelineBench.windowsPerDevice(samplesPerDevice, VIBRATION));
            System.out.printf("PipelineIT: %d samples published and every window scored in %.1f s%n",
                    published.samples(), (System.nanoTime() - began) / 1e9);

            // then every sample published is in the readings topic, once
            Map<String, Long> expectedSamples = perDevice(scenario, samplesPerDevice);
            assertThat(published.samples()).isEqualTo(scenario.deviceCount() * samplesPerDevice);
            assertThat(samplesInReadingsTopic(pipeline.bootstrapServers())).isEqualTo(expectedSamples);
            assertThat(registry.find(BridgeMetrics.REJECTED).counters()).isEmpty();

            // and every device's every window was scored, once
            assertThat(new TreeMap<>(scoresPerDevice))
                    .isEqualTo(perDevice(scenario, PipelineBench.windowsPerDevice(samplesPerDevice, VIBRATION)));

            // and the alert topic holds exactly one RAISED per faulty device, none for a healthy one
            List<AlertEvent> alerts = readAll(pipeline.bootstrapServers(), VIBRATION.kafka().alerts(),
                    (topic, bytes) -> AlertEvent.serde().deserializer().deserialize(topic, bytes));
            assertThat(alerts).extracting(AlertEvent::deviceId, AlertEvent::state)
                    .containsExactlyInAnyOrder(FAULTY.stream()
                            .map(d -> org.assertj.core.groups.Tuple.tuple(d, AlertEvent.State.RAISED)).toArray(
                                    org.assertj.core.groups.Tuple[]::new));

            // and each was raised within the bound after its fault began, by windows that hold faulty samples
            for (AlertEvent raised : alerts) {
                assertThat(raised.lastWindowEnd() - faultMs).as("detection delay of %s, ms sensor time",
                        raised.deviceId()).isBetween(0L, DETECTION_BOUND_MS);
                assertThat(raised.firstWindowStart()).as("first anomalous window of %s", raised.deviceId())
                        .isGreaterThan(faultMs - windowMillis());
            }
            assertThat(pipeline.detectorState()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** Enough for sudden faults and a few-per-mille healthy false-positive rate; about half the demo's budget. */
    private static Trainer.Settings smallTrainingBudget() {
        return Trainer.Settings.defaults(VIBRATION).withEpochs(8).withMaxTrainWindows(1000);
    }

    private static Supplier<MqttBroker> mqttBroker() {
        return MosquittoProcess.executable().isPresent() ? MosquittoProcess::start : EmbeddedMqtt::start;
    }

    private static long windowMillis() {
        return (long) (VIBRATION.window() * 1000 / VIBRATION.sampleRateHz());
    }

    private static EventTail.Listener counting(Map<String, Long> scoresPerDevice) {
        return new EventTail.Listener() {
            @Override
            public void score(ScoreEvent event, long receivedMs) {
                scoresPerDevice.merge(event.deviceId(), 1L, Long::sum);
            }

            @Override
            public void alert(AlertEvent event) {
                // read back whole from the topic at the end
            }
        };
    }

    private static Map<String, Long> perDevice(Scenario scenario, long each) {
        return scenario.deviceIds().stream().collect(Collectors.toMap(d -> d, d -> each, (a, b) -> a, TreeMap::new));
    }

    private static Map<String, Long> samplesInReadingsTopic(String bootstrap) {
        SampleBatchSerde serde = new SampleBatchSerde();
        Map<String, Long> samples = new TreeMap<>();
        readRecords(bootstrap, VIBRATION.kafka().readings(), (key, value) ->
                samples.merge(key, (long) serde.deserializer().deserialize("", value).size(), Long::sum));
        return samples;
    }

    /** Every committed record of {@code topic}, from the beginning to the end offsets as of now. */
    private static <T> List<T> readAll(String bootstrap, String topic, java.util.function.BiFunction<String, byte[], T> parse) {
        List<T> values = new ArrayList<>();
        readRecords(bootstrap, topic, (key, value) -> values.add(parse.apply(topic, value)));
        return values;
    }

    private static void readRecords(String bootstrap, String topic, BiConsumer<String, byte[]> each) {
        TopicReader.committed(bootstrap, topic, Duration.ofSeconds(60)).forEach(r -> each.accept(r.key(), r.value()));
    }
}
