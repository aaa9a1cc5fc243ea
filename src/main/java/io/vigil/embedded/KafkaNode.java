package io.vigil.embedded;

import io.vigil.ingest.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Kafka KRaft cluster (combined broker and controller) in this process, for
 * {@code vigil broker}: several of them, each in its own process, make a cluster an operator or a
 * test can kill one node of. The data folder is formatted on first start and kept.
 *
 * @param nodeId     this node's id, one of {@code voters}
 * @param listener   {@code host:port} clients connect to
 * @param advertised {@code host:port} clients are told to connect to (another host in a container)
 * @param controller {@code host:port} of this node's controller listener
 * @param voters     the controller quorum, {@code id@host:port,…}, the same on every node
 * @param dataDir    log and metadata folder
 */
public record KafkaNode(int nodeId, String listener, String advertised, String controller, String voters,
                        Path dataDir) {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    public KafkaNode {
        if (voters == null || Arrays.stream(voters.split(",")).noneMatch(v -> v.strip().startsWith(nodeId + "@"))) {
            throw new IllegalArgumentException("node " + nodeId + " is not one of the controller quorum voters " + voters);
        }
        dataDir = dataDir.toAbsolutePath(); // Kafka compares the metadata folder with the log folders as written
    }

    /** How many nodes the cluster has: its voters. */
    public int clusterSize() {
        return voters.split(",").length;
    }

    /**
     * One cluster id for every node of the same quorum, derived from the voters, so the nodes can be
     * formatted apart without passing an id around.
     */
    public String clusterId() {
        UUID uuid = UUID.nameUUIDFromBytes(voters.replace(" ", "").getBytes(StandardCharsets.UTF_8));
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }

    /**
     * The node's broker properties: every internal topic and every topic created without a
     * replication factor replicated like Vigil's own ({@link Topics#replicationFactor}, with
     * {@code min.insync.replicas} one less).
     */
    public Properties properties() {
        String replicas = Short.toString(Topics.replicationFactor(clusterSize()));
        String minInSync = Integer.toString(Math.max(1, Topics.replicationFactor(clusterSize()) - 1));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://" + listener + "," + EmbeddedKafka.CONTROLLER_LISTENER + "://" + controller);
        p.put("advertised.listeners", "PLAINTEXT://" + advertised);
        p.put("controller.listener.names", EmbeddedKafka.CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + EmbeddedKafka.CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minInSync);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "4"); // default 50 costs seconds on first consumer group
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0"); // no 3 s wait before the first rebalance
        // A killed detector's open transaction blocks its topics until aborted: look for timed-out ones every
        // second, not every 10 s, so it is aborted soon after the detector's transaction timeout.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("auto.create.topics.enable", "false"); // Vigil creates its topics (Topics), Kafka Streams its own
        return p;
    }

    /**
     * Formats the data folder unless done before, starts the node and returns once it serves clients.
     *
     * @throws IllegalStateException when it cannot start
     */
    public KafkaRaftServer start() {
        try {
            KafkaConfig config = KafkaConfig.fromProps(properties(), false);
            Files.createDirectories(dataDir);
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                EmbeddedKafka.format(config, dataDir, nodeId, clusterId());
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LOG.info("Kafka node {} serving {} (advertised {}), controller {}, cluster {} of {} nodes, data {}",
                    nodeId, listener, advertised, controller, clusterId(), clusterSize(), dataDir);
            return server;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka node " + nodeId + " did not start: " + e.getMessage(), e);
        }
    }

}
