package io.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.testkit.TopicReader;
import io.vigil.ingest.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code vigil broker} processes make one KRaft cluster: the topics Vigil creates on it have
 * three replicas, two in sync, and writes acknowledged by all in-sync replicas go on, none lost,
 * after one broker is killed with SIGKILL.
 */
class BrokerClusterIT {

    static final String TOPIC = "broker-cluster-it.readings";
    static final int RECORDS = 1_000; // half before the kill, half after

    @TempDir
    Path dir;

    private final List<Process> brokers = new ArrayList<>();

    @AfterEach
    void stopBrokers() throws InterruptedException {
        for (Process broker : brokers) {
            broker.destroy();
        }
        for (Process broker : brokers) {
            if (!broker.waitFor(60, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void aThreeNodeClusterOfProcessesKeepsEveryAcknowledgedRecordAcrossAKilledBroker() throws Exception {
        // given three nodes, each in its own process
        int[] ports = IntStream.range(0, 6).map(i -> FreePorts.pick()).toArray();
        String voters = IntStream.range(0, 3).mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports[3 + i])
                .collect(Collectors.joining(","));
        String bootstrap = IntStream.range(0, 3).mapToObj(i -> "127.0.0.1:" + ports[i]).collect(Collectors.joining(","));
        long starting = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            brokers.add(startBroker(i + 1, ports[i], ports[3 + i], voters));
        }
        for (int i = 0; i < 3; i++) {
            Path log = dir.resolve("broker-" + (i + 1) + ".log");
            Process broker = brokers.get(i);
            await().atMost(Duration.ofMinutes(3)).until(() -> !broker.isAlive() || Files.readString(log).contains(" serving "));
            assertThat(broker.isAlive()).as("broker %d: %s", i + 1, Files.readString(log)).isTrue();
        }
        long started = System.nanoTime();

        // when Vigil creates its topic, and records are written before and after a SIGKILL of node 3
        Set<String> created = Topics.ensure(bootstrap, Map.of(), List.of(TOPIC), 4);
        long killed;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < RECORDS / 2; i++) {
                producer.send(record(i)).get(30, TimeUnit.SECONDS);
            }
            brokers.get(2).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            killed = System.nanoTime();
            for (int i = RECORDS / 2; i < RECORDS; i++) {
                producer.send(record(i)).get(60, TimeUnit.SECONDS);
            }
        }
        long written = System.nanoTime();

        // then
        assertThat(created).containsExactly(TOPIC);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            assertThat(topic.partitions()).hasSize(4)
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
        }
        Set<String> read = TopicReader.committed(bootstrap, TOPIC, Duration.ofSeconds(60)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("BrokerClusterIT: 3 broker processes serving %d ms after start; %d records acknowledged"
                        + " (acks=all, min.insync.replicas 2), the second half in %d ms after a SIGKILL of node 3;"
                        + " read back %d distinct, lost %d%n",
                (started - starting) / 1_000_000, RECORDS, (written - killed) / 1_000_000, read.size(),
                RECORDS - read.size());
        assertThat(read).hasSize(RECORDS);
    }

    private Process startBroker(int nodeId, int port, int controllerPort, String voters) throws Exception {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "io.vigil.cli.Vigil", "broker",
                "--node-id", String.valueOf(nodeId), "--listener", "127.0.0.1:" + port,
                "--controller", "127.0.0.1:" + controllerPort, "--voters", voters,
                "--data-dir", dir.resolve("kafka-" + nodeId).toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker-" + nodeId + ".log").toFile())
                .start();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",               // on every in-sync replica, at least two
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,  // a retry after the kill writes no duplicate
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static ProducerRecord<String, byte[]> record(int i) {
        return new ProducerRecord<>(TOPIC, "device-" + (i % 20), String.format("%05d", i).getBytes(StandardCharsets.UTF_8));
    }
}
