package io.vigil.embedded;

import io.vigil.files.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, combined broker and controller, one node) running in this JVM, for
 * {@code vigil demo} and integration tests. Replication factor 1 everywhere, so transactions and
 * Kafka Streams {@code exactly_once_v2} work on it. The log folder is temporary and deleted on close.
 * Fault tests {@link #stop} the broker and {@link #restart} it on the same ports and log folder, as
 * an operator restarts a real one: clients reconnect to the same address and find their data.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;

    private final KafkaConfig config;
    private final Path logDir;
    private final String bootstrapServers;
    private final Duration startupTime;
    private KafkaRaftServer server; // null while stopped
    private boolean closed;

    private EmbeddedKafka(KafkaConfig config, KafkaRaftServer server, Path logDir, String bootstrapServers,
                          Duration startupTime) {
        this.config = config;
        this.server = server;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.startupTime = startupTime;
    }

    /** Starts a broker with default partitions per auto-created topic (4). */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker on free loopback ports and waits until it accepts clients.
     *
     * @param overrides broker properties that replace the defaults below
     */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        long started = System.nanoTime();
        Path logDir = TempDirs.create("vigil-kafka-");
        try {
            int brokerPort = FreePorts.pick();
            int controllerPort = FreePorts.pick();
            Properties props = brokerProperties(logDir, brokerPort, controllerPort);
            props.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(config, logDir, NODE_ID, Uuid.randomUuid().toString());
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup(); // returns once the broker is unfenced and serving
            String bootstrap = "127.0.0.1:" + brokerPort;
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("Embedded Kafka {} started in {} ms (log dir {})", bootstrap, took.toMillis(), logDir);
            return new EmbeddedKafka(config, server, logDir, bootstrap, took);
        } catch (Exception e) {
            TempDirs.deleteQuietly(logDir);
            throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must live with a single replica.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4"); // default 50 costs seconds on first consumer group
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0"); // no 3 s wait before the first rebalance
        p.put("auto.create.topics.enable", "true");
        // Replayed history (Backblaze 2013) carries its recorded timestamps: under the default 7-day time
        // retention the broker's first retention check, 30 s after start, deleted replayed readings before the
        // detector read them. An in-process broker lives for one run, so it keeps everything.
        p.put("log.retention.ms", "-1");
        return p;
    }

    /** The in-process equivalent of {@code kafka-storage.sh format}. */
    static void format(KafkaConfig config, Path logDir, int nodeId, String clusterId) throws Exception {
        new Formatter()
                .setPrintStream(System.out.checkError() ? System.err : new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .run();
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long {@link #start} took, formatting included. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Whether the broker is serving (started and not {@link #stop stopped}). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the broker down (controlled shutdown: logs flushed, clients disconnected) and keeps its
     * log folder and ports for {@link #restart}. Does nothing when already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.info("Embedded Kafka {} stopped (log dir {} kept)", bootstrapServers, logDir);
    }

    /**
     * Starts the broker again on the same ports and log folder (topics, offsets, transactions and
     * consumer groups survive), stopping it first if it is running; returns how long the start took.
     */
    public synchronized Duration restart() {
        if (closed) {
            throw new IllegalStateException("embedded Kafka " + bootstrapServers + " is closed");
        }
        stop();
        long started = System.nanoTime();
        KafkaRaftServer restarted = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            restarted.startup();
        } catch (RuntimeException e) {
            restarted.shutdown();
            throw new IllegalStateException("embedded Kafka " + bootstrapServers + " did not restart: " + e.getMessage(), e);
        }
        server = restarted;
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Embedded Kafka {} restarted in {} ms", bootstrapServers, took.toMillis());
        return took;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            TempDirs.deleteQuietly(logDir);
        }
    }
}
