package io.vigil.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.EmbeddedMqtt;
import io.vigil.embedded.MqttBroker;
import io.vigil.ingest.Bridge;
import io.vigil.ingest.Topics;
import io.vigil.stream.Detector;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process, started in order: Kafka and an MQTT 5 broker (embedded, or
 * external ones by address), every topic the bridge and the detector use, the {@link Bridge}, and
 * the {@link Detector} (Kafka Streams on {@link DetectorTopology#buildTopology}, the production topology).
 * {@link #close()} stops them in reverse order. Used by {@code vigil demo}, {@code vigil bench
 * pipeline} and {@code PipelineIT}, so the test runs exactly what the demo runs.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Partitions of every topic the pipeline creates; one stream task per readings partition. */
    public static final int PARTITIONS = Bridge.Builder.DEFAULT_PARTITIONS;
    private static final Duration DETECTOR_START_TIMEOUT = Duration.ofSeconds(120);

    private final String mqttUri;
    private final String bootstrap;
    private final List<SensorKind> kinds;
    private final Detector detector;
    private final Deque<AutoCloseable> resources;

    private Pipeline(String mqttUri, String bootstrap, List<SensorKind> kinds, Detector detector,
                     Deque<AutoCloseable> resources) {
        this.mqttUri = mqttUri;
        this.bootstrap = bootstrap;
        this.kinds = kinds;
        this.detector = detector;
        this.resources = resources;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where a pipeline's brokers come from: an external MQTT broker and Kafka by address (null: start
     * an embedded one), and the MQTT broker to start when no external one is given (null with one).
     */
    public record Brokers(String mqtt, String kafka, Supplier<MqttBroker> embeddedMqtt) {
        public Brokers {
            if (mqtt == null) {
                Objects.requireNonNull(embeddedMqtt, "no external MQTT broker and none to embed");
            }
        }

        /** Both brokers embedded, the MQTT one started by {@code embeddedMqtt}. */
        public static Brokers embedded(Supplier<MqttBroker> embeddedMqtt) {
            return new Brokers(null, null, embeddedMqtt);
        }

        /** True when Kafka is external: its topics may hold earlier runs' records. */
        public boolean externalKafka() {
            return kafka != null;
        }
    }

    /** MQTT broker URI the sensors publish to. */
    public String mqttUri() {
        return mqttUri;
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return bootstrap;
    }

    public List<SensorKind> kinds() {
        return kinds;
    }

    /** The detector's state: RUNNING while healthy, ERROR after a stream thread died. */
    public KafkaStreams.State detectorState() {
        return detector.state();
    }

    /** Stops detector, bridge, then the brokers this pipeline started; external brokers are left alone. */
    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource, e.getMessage());
            }
        }
    }

    /** Builds and starts a {@link Pipeline}; every default is here. */
    public static final class Builder {
        private String externalMqtt;
        private String externalBootstrap;
        private Supplier<MqttBroker> embeddedMqtt = EmbeddedMqtt::start;
        private List<SensorKind> kinds = List.of();
        private final Map<String, Path> bundles = new HashMap<>();
        private String applicationId = DetectorTopology.DEFAULT_APPLICATION_ID;
        private String bridgeClientId = Bridge.Builder.defaultClientId();
        private int streamThreads = 1;
        private Function<MeterRegistry, DetectorSettings> settings = DetectorSettings::defaults;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Consumer<String> steps = line -> { };
        private boolean fleetView = true;

        private Builder() {
        }

        /** Use this MQTT broker instead of starting one; null starts the embedded one. */
        public Builder externalMqtt(String uri) {
            this.externalMqtt = blankToNull(uri);
            return this;
        }

        /** Use this Kafka cluster instead of starting one; null starts the embedded one. */
        public Builder externalKafka(String bootstrapServers) {
            this.externalBootstrap = blankToNull(bootstrapServers);
            return this;
        }

        /** The MQTT broker to start when no external one is given (default: HiveMQ in-process). */
        public Builder embeddedMqtt(Supplier<MqttBroker> broker) {
            this.embeddedMqtt = Objects.requireNonNull(broker);
            return this;
        }

        /** External brokers by address where given, else the embedded ones {@code brokers} names. */
        public Builder brokers(Brokers brokers) {
            if (brokers.embeddedMqtt() != null) {
                embeddedMqtt(brokers.embeddedMqtt());
            }
            return externalMqtt(brokers.mqtt()).externalKafka(brokers.kafka());
        }

        /** Sensor kinds to bridge and detect; each needs a model bundle (default: its topology's model path). */
        public Builder kinds(List<SensorKind> kinds) {
            this.kinds = List.copyOf(kinds);
            return this;
        }

        /** Score {@code kind} with the bundle in {@code file} instead of its topology's model path. */
        public Builder model(String kind, Path file) {
            bundles.put(kind, file);
            return this;
        }

        public Builder applicationId(String applicationId) {
            this.applicationId = Objects.requireNonNull(applicationId);
            return this;
        }

        public Builder bridgeClientId(String clientId) {
            this.bridgeClientId = Objects.requireNonNull(clientId);
            return this;
        }

        public Builder streamThreads(int threads) {
            this.streamThreads = threads;
            return this;
        }

        /** Detector micro-batch settings, given the pipeline's registry. */
        public Builder detectorSettings(Function<MeterRegistry, DetectorSettings> settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** Where the bridge's and the detector's meters go. */
        public Builder metrics(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry);
            return this;
        }

        /** {@link Detector.Builder#fleetView}: the board from the scores and alerts topics (default true). */
        public Builder fleetView(boolean fleetView) {
            this.fleetView = fleetView;
            return this;
        }

        /** Receives one line per startup step ("Kafka up in 3.4 s"). */
        public Builder steps(Consumer<String> steps) {
            this.steps = Objects.requireNonNull(steps);
            return this;
        }

        /**
         * Starts everything in order; on failure stops what was started and rethrows.
         *
         * @throws IllegalStateException when a broker, the bridge or the detector cannot start
         */
        public Pipeline start() {
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("no sensor kinds to run");
            }
            Deque<AutoCloseable> started = new ArrayDeque<>();
            try {
                Detector.Builder detector = Detector.builder()
                        .kinds(kinds)
                        .applicationId(applicationId)
                        .streamThreads(streamThreads)
                        .metrics(registry)
                        .settings(settings)
                        .fleetView(fleetView);
                bundles.forEach(detector::model);
                detector.checkModels(); // a missing or mismatched model fails before any broker starts
                String bootstrap = startKafka(started);
                String mqtt = startMqtt(started);
                createTopics(bootstrap);
                startBridge(started, mqtt, bootstrap);
                Detector running = startDetector(started, detector.bootstrapServers(bootstrap));
                return new Pipeline(mqtt, bootstrap, kinds, running, started);
            } catch (RuntimeException e) {
                new Pipeline(null, null, kinds, null, started).close();
                throw e;
            }
        }

        private String startKafka(Deque<AutoCloseable> started) {
            if (externalBootstrap != null) {
                steps.accept("Kafka: using " + externalBootstrap);
                return externalBootstrap;
            }
            EmbeddedKafka kafka = EmbeddedKafka.start();
            started.push(named(kafka, "embedded Kafka"));
            steps.accept(String.format(Locale.ROOT, "Kafka: embedded KRaft broker %s up in %.1f s",
                    kafka.bootstrapServers(), kafka.startupTime().toMillis() / 1000.0));
            return kafka.bootstrapServers();
        }

        private String startMqtt(Deque<AutoCloseable> started) {
            if (externalMqtt != null) {
                steps.accept("MQTT: using " + externalMqtt);
                return externalMqtt;
            }
            long began = System.nanoTime();
            MqttBroker broker = embeddedMqtt.get();
            started.push(named(broker, "MQTT broker"));
            steps.accept(String.format(Locale.ROOT, "MQTT: %s %s up in %.1f s", broker.getClass().getSimpleName(),
                    broker.uri(), (System.nanoTime() - began) / 1e9));
            return broker.uri();
        }

        private void createTopics(String bootstrap) {
            // Every topic exists before the bridge and the detector start: readings and dead letters
            // (which the bridge would also create), scores and alerts (which the detector writes).
            List<String> names = Topics.ensureAll(bootstrap, kinds);
            steps.accept("Topics: " + String.join(", ", names) + " (" + PARTITIONS + " partitions if created)");
        }

        private void startBridge(Deque<AutoCloseable> started, String mqtt, String bootstrap) {
            long began = System.nanoTime();
            Bridge bridge = Bridge.builder()
                    .broker(mqtt)
                    .bootstrapServers(bootstrap)
                    .kinds(kinds)
                    .clientId(bridgeClientId)
                    .partitions(PARTITIONS)
                    .metrics(registry)
                    .start();
            started.push(named(bridge, "bridge"));
            steps.accept(String.format(Locale.ROOT, "Bridge: MQTT %s -> Kafka, subscribed in %.1f s",
                    kinds.stream().map(SensorKind::mqttTopicFilter).toList(), (System.nanoTime() - began) / 1e9));
        }

        /** The detector on a temporary state folder, its topics created above; waits until it runs. */
        private Detector startDetector(Deque<AutoCloseable> started, Detector.Builder builder) {
            long began = System.nanoTime();
            Detector detector = builder.start();
            started.push(named(detector, "detector"));
            detector.awaitRunning(DETECTOR_START_TIMEOUT);
            steps.accept(String.format(Locale.ROOT, "Detector: Kafka Streams (%s, exactly-once) running in %.1f s",
                    applicationId, (System.nanoTime() - began) / 1e9));
            return detector;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    /** An {@link AutoCloseable} with a name for the "closing X failed" log line. */
    private static AutoCloseable named(AutoCloseable resource, String name) {
        return new AutoCloseable() {
            @Override
            public void close() throws Exception {
                resource.close();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
