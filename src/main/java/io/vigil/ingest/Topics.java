package io.vigil.ingest;

import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that knows a sensor kind's Kafka topics: which ones each component writes, and how
 * missing ones are created. Topics that do not exist yet are created; existing topics are left
 * exactly as they are.
 */
public final class Topics {

    /**
     * How far ahead of Kafka's clock a record's timestamp may be on the topics Vigil creates
     * ({@code message.timestamp.after.max.ms}): Kafka 4's default hour, written on each topic so a
     * stricter broker-wide default cannot refuse readings the bridge accepts
     * ({@link io.vigil.payload.PayloadParser#MAX_CLOCK_AHEAD}, a quarter of it). docker-compose.yml creates its topics
     * with the same value.
     */
    public static final Duration TIMESTAMP_AFTER_MAX = Duration.ofHours(1);
    /** The topic settings Vigil creates its topics with. */
    public static final Map<String, String> CONFIG = Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(TIMESTAMP_AFTER_MAX.toMillis()));

    /** Replicas of each topic Vigil creates, at most: one broker may fail, and another be restarted, with no data lost. */
    public static final int MAX_REPLICATION_FACTOR = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    private static final long TIMEOUT_SECONDS = 30;

    private Topics() {
    }

    /** What the bridge writes: each kind's readings and dead-letter topics, each name once. */
    public static List<String> bridged(List<SensorKind> kinds) {
        return kinds.stream()
                .flatMap(k -> Stream.of(k.kafka().readings(), k.kafka().deadLetter()))
                .distinct()
                .toList();
    }

    /**
     * Every topic of the kinds, in the order readings, dead letters, scores, alerts per kind, each
     * name once: what the bridge writes and the detector reads and writes (Kafka Streams creates none
     * of its sink topics; without them a broker with auto-creation off would fail the detector).
     */
    public static List<String> all(List<SensorKind> kinds) {
        return kinds.stream()
                .flatMap(k -> Stream.of(k.kafka().readings(), k.kafka().deadLetter(), k.kafka().scores(),
                        k.kafka().alerts()))
                .distinct()
                .toList();
    }

    /**
     * Every topic of {@code kinds} ({@link #all}), missing ones created with the bridge's default
     * partitions ({@link Bridge.Builder#DEFAULT_PARTITIONS}).
     *
     * @return every topic of {@code kinds}, created or not
     */
    public static List<String> ensureAll(String bootstrap, List<SensorKind> kinds) {
        List<String> names = all(kinds);
        ensure(bootstrap, Map.of(), names, Bridge.Builder.DEFAULT_PARTITIONS);
        return names;
    }

    /** Replicas of a topic Vigil creates on a cluster of {@code brokers}: all of them, at most {@link #MAX_REPLICATION_FACTOR}. */
    public static short replicationFactor(int brokers) {
        return (short) Math.max(1, Math.min(MAX_REPLICATION_FACTOR, brokers));
    }

    /**
     * {@link #CONFIG} for a topic created on a cluster of {@code brokers}, with {@code min.insync.replicas}
     * one less than its {@link #replicationFactor} (at least 1): an acknowledged write is on two
     * brokers of three, and writes go on while one broker is down.
     */
    public static Map<String, String> replication(int brokers) {
        Map<String, String> config = new HashMap<>(CONFIG);
        config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, replicationFactor(brokers) - 1)));
        return Map.copyOf(config);
    }

    /**
     * {@link #ensure(Admin, Collection, int)} with an admin client of its own on {@code bootstrap};
     * {@code clientConfig} carries SASL/SSL settings.
     *
     * @return the topics this call created
     */
    public static Set<String> ensure(String bootstrap, Map<String, Object> clientConfig, Collection<String> names,
                                     int partitions) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            return ensure(admin, names, partitions);
        }
    }

    /**
     * Ensures every topic in {@code names} exists, creating missing ones with {@code partitions}
     * partitions, {@link #replication} for the cluster's brokers and {@link #CONFIG}. Safe to race with
     * another bridge.
     *
     * @return the topics this call created
     */
    public static Set<String> ensure(Admin admin, Collection<String> names, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> absent = names.stream().distinct().filter(n -> !existing.contains(n)).toList();
            if (absent.isEmpty()) {
                return Set.of();
            }
            int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
            short replicas = replicationFactor(brokers);
            Map<String, String> config = replication(brokers);
            List<NewTopic> missing = absent.stream()
                    .map(n -> new NewTopic(n, Optional.of(partitions), Optional.of(replicas)).configs(config))
                    .toList();
            var results = admin.createTopics(missing).values();
            Set<String> created = new java.util.TreeSet<>();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            LOG.info("Created Kafka topics {} with {} partitions, {} replicas each", created, partitions, replicas);
            return created;
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot list or create Kafka topics: no answer from the brokers in "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list or create Kafka topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        }
    }
}
