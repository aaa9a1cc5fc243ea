package io.vigil.cli;

import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.stream.Detector;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.stream.Failover;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil detect}: runs the Kafka Streams detector for every sensor kind until Ctrl-C. */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        header = "Score per-device windows from the readings topics and publish score and alert events.",
        description = "Every sensor kind in --topologies is detected, each with its model bundle.",
        footer = {"", "Examples:",
                "  vigil detect --bootstrap localhost:9092",
                "  vigil detect --bootstrap kafka:9092 --threads 2 --batch-size 512 --metrics-host 0.0.0.0"})
public final class DetectCommand implements Callable<Integer> {

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Mixin
    TopologiesOption topologies; // every kind in it is detected

    @Option(names = "--application-id", defaultValue = DetectorTopology.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: consumer group and changelog prefix (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", defaultValue = "state",
            description = "Local folder of the state stores (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Mixin
    StreamThreadsOption threads;

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
            description = "Static group membership: a detector killed and restarted with the same id takes its partitions"
                    + " back at once instead of after --session-timeout-ms (a graceful stop leaves the group and hands"
                    + " them over, unless --no-leave-group-on-close); give every detector its own"
                    + " (env VIGIL_INSTANCE_ID; default none).")
    String instanceId;

    @Option(names = "--no-fleet-view", description = "Show on the live page and in the per-device series only the devices"
            + " this instance scores, fed by its own stream tasks, instead of every device of the scores and alerts"
            + " topics (default: the whole fleet, on every instance).")
    boolean noFleetView;

    @Mixin
    FailoverOptions failover;

    @Mixin
    TopicPartitionsOption partitions; // readings, dead-letter, scores and alerts topics

    @Mixin
    ModelsTopicOption models; // followed: 'vigil model publish' rolls a bundle out without a restart

    @Override
    public Integer call() throws InterruptedException {
        if (threads.count < 1 || batchSize < 1 || flushMs < 1) {
            throw new UsageException("--threads, --batch-size and --flush-ms must be positive");
        }
        deviceSeriesCap.validate();
        Failover failoverSettings = failover.failover();
        List<SensorKind> kinds = topologies.loadAll();
        Detector.Builder detector = Detector.builder()
                .bootstrapServers(bootstrap.servers)
                .kinds(kinds)
                .applicationId(applicationId)
                .stateDir(stateDir)
                .streamThreads(threads.count)
                .kafkaClientConfig(kafkaSecurity.clientConfig())
                .instanceId(instanceId)
                .followModels(models.topic)
                .fleetView(!noFleetView)
                .failover(failoverSettings)
                .partitions(partitions.count) // Streams does not create its sink topics; auto-creation may be off
                .checkModels(); // a missing or mismatched model fails before anything starts
        try (Telemetry telemetry = deviceSeriesCap.telemetry();
             MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT);
             Detector running = start(detector.metrics(telemetry.registry()).settings(registry ->
                     new DetectorSettings(batchSize, Duration.ofMillis(flushMs), registry, telemetry.board())))) {
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "vigil-detect-shutdown"));
            return running.awaitStopped() ? 1 : 0;
        }
    }

    private Detector start(Detector.Builder detector) {
        try {
            return detector.start();
        } catch (IllegalStateException e) { // the topics could not be listed or created
            throw new UsageException("Kafka " + bootstrap + ": " + e.getMessage()
                    + " (create the topics yourself and pass --partitions 0)");
        }
    }
}
