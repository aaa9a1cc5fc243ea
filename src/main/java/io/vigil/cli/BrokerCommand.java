package io.vigil.cli;

import io.vigil.embedded.KafkaNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kafka.server.KafkaRaftServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil broker}: one Kafka KRaft node (broker and controller) in this process, until stopped. */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        header = "Run one Kafka KRaft node (broker and controller); start one per voter for a cluster.",
        description = {
                "Topics created without a replication factor get min(3, nodes) replicas and min.insync.replicas",
                "one less, like the topics Vigil creates. The data folder is formatted on first start and kept."},
        footer = {"", "Examples:",
                "  vigil broker --node-id 1 --listener 127.0.0.1:9092 --controller 127.0.0.1:9093 \\",
                "      --voters 1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293 --data-dir kafka-1"})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--node-id", defaultValue = "1", paramLabel = "ID",
            description = "This node's id, one of --voters (default ${DEFAULT-VALUE}).")
    int nodeId;

    @Option(names = "--listener", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT",
            description = "Where clients connect (default ${DEFAULT-VALUE}).")
    String listener;

    @Option(names = "--advertised", paramLabel = "HOST:PORT",
            description = "Where clients are told to connect, e.g. a container's name (default: --listener).")
    String advertised;

    @Option(names = "--controller", defaultValue = "127.0.0.1:9093", paramLabel = "HOST:PORT",
            description = "This node's controller listener (default ${DEFAULT-VALUE}).")
    String controller;

    @Option(names = "--voters", paramLabel = "ID@HOST:PORT,…",
            description = "The controller quorum, the same on every node (default: this node alone).")
    String voters;

    @Option(names = "--data-dir", defaultValue = "kafka-data", paramLabel = "DIR",
            description = "Log and metadata folder (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() {
        KafkaNode node;
        try {
            node = new KafkaNode(nodeId, listener, advertised != null ? advertised : listener, controller,
                    voters != null ? voters : nodeId + "@" + controller, dataDir);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        KafkaRaftServer server;
        try {
            server = node.start();
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "vigil-broker-shutdown"));
        server.awaitShutdown();
        return 0;
    }
}
