package io.vigil.cli;

import io.vigil.ingest.Topics;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.model.ModelBundle;
import io.vigil.model.WindowScorer;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import io.vigil.security.KafkaClientSecurity;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** {@code vigil detect}: runs the Kafka Streams detector for every sensor kind until Ctrl-C. */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        header = "Score per-device windows from the readings topics and publish score and alert events.",
        footer = {"", "Examples:",
                "  vigil detect --bootstrap localhost:9092",
                "  vigil detect --bootstrap kafka:9092 --threads 2 --batch-size 512 --metrics-host 0.0.0.0"})
public final class DetectCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectCommand.class);

    @Option(names = "--bootstrap", defaultValue = "${env:VIGIL_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (env VIGIL_KAFKA_BOOTSTRAP; default ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topologies", defaultValue = "topologies",
            description = "Folder of sensor-kind files (*.yaml); every kind in it is detected (default ${DEFAULT-VALUE}).")
    Path topologies;

    @Option(names = "--application-id", defaultValue = DetectorTopology.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: consumer group and changelog prefix (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", defaultValue = "state",
            description = "Local folder of the state stores (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--threads", defaultValue = "1",
            description = "Stream threads; each task owns one model instance (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "" + DetectorSettings.DEFAULT_BATCH_SIZE,
            description = "Windows per model call at most (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--flush-ms", defaultValue = "50",
            description = "Milliseconds after which a partial batch is scored anyway (default ${DEFAULT-VALUE}).")
    long flushMs;

    @Mixin
    DeviceSeriesCapOption deviceSeriesCap;

    /** Default port of the detector's metrics server. */
    public static final int DEFAULT_METRICS_PORT = 9402;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Option(names = "--instance-id", defaultValue = "${env:VIGIL_INSTANCE_ID}", paramLabel = "ID",
            description = "Static group membership: a detector restarted with the same id takes its partitions back at"
                    + " once instead of after the consumer group's session timeout (45 s); give every detector its own"
                    + " (env VIGIL_INSTANCE_ID; default none).")
    String instanceId;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Create missing readings, dead-letter, scores and alerts topics with this many partitions; "
                    + "0 = create none (default ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1 || batchSize < 1 || flushMs < 1) {
            throw new UsageException("--threads, --batch-size and --flush-ms must be positive");
        }
        deviceSeriesCap.validate();
        Map<String, Object> kafkaConfig = kafkaSecurity.clientConfig();
        List<SensorTopology> kinds = TopologyLoader.loadAll(topologies);
        var scorers = scorers(kinds);
        if (partitions > 0) {
            // Streams does not create its sink topics; a broker with auto-creation off would fail.
            try {
                Topics.ensure(bootstrap, kafkaConfig, Topics.all(kinds), partitions);
            } catch (IllegalStateException e) {
                throw new UsageException("Kafka " + bootstrap + ": " + e.getMessage()
                        + " (create the topics yourself and pass --partitions 0)");
            }
        }
        try (Telemetry telemetry = deviceSeriesCap.telemetry();
             MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT)) {
            var topology = DetectorTopology.buildTopology(kinds, scorers,
                    new DetectorSettings(batchSize, Duration.ofMillis(flushMs), telemetry.registry(), telemetry.board()));
            Properties config = DetectorTopology.streamsConfig(bootstrap, applicationId, stateDir, threads);
            config.putAll(kafkaConfig); // SASL/SSL reach every client Streams creates (consumer, producer, admin)
            if (instanceId != null && !instanceId.isBlank()) {
                config.putAll(DetectorTopology.staticMembership(instanceId));
            }
            LOG.info("Kafka {} client config: {}", bootstrap, KafkaClientSecurity.describe(kafkaConfig));
            var streams = new KafkaStreams(topology, config);
            telemetry.bind(streams);
            return runUntilStopped(streams, kinds);
        }
    }

    /**
     * One scorer per call (per stream task and kind): a fresh network from the kind's model bundle,
     * so no model instance is shared between threads. Every bundle is loaded and checked once up
     * front, so a missing or mismatched model fails before anything starts.
     */
    static Function<SensorTopology, WindowScorer> scorers(List<SensorTopology> kinds) {
        for (SensorTopology kind : kinds) {
            Path file = kind.modelPath();
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no model bundle for kind '" + kind.kind() + "' at " + file
                        + " (create it with 'vigil train --topology " + kind.kind() + " --data DATA', which saves there)");
            }
            ModelBundle bundle = ModelBundle.load(file);
            bundle.checkCompatible(kind, file);
            LOG.info("kind {}: model {} (threshold {})", kind.kind(), bundle.metadata().version(),
                    bundle.metadata().threshold());
        }
        return kind -> ModelBundle.load(kind.modelPath()).scorer();
    }

    private static int runUntilStopped(KafkaStreams streams, List<SensorTopology> kinds) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("detector stream thread failed; shutting down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("detector {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "vigil-detect-shutdown"));
        streams.start();
        LOG.info("detecting kinds {}", kinds.stream().map(SensorTopology::kind).toList());
        stopped.await();
        return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }
}
