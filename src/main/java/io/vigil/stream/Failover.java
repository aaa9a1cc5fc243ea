package io.vigil.stream;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How fast a detector group moves partitions when a member dies, stops or joins: the Kafka Streams
 * settings behind each, with defaults chosen for a group of detectors that must keep every device
 * scored (README, "Scaling out").
 *
 * @param standbyReplicas          warm copies of each task's state on other members, so a takeover
 *                                 restores nothing; 0 for none
 * @param sessionTimeout           how long the group waits for a silent member (a {@code kill -9})
 *                                 before handing its partitions over
 * @param acceptableRecoveryLag    changelog records a member may lag behind and still be given a task
 *                                 at once (it restores them first); above it, it warms up instead
 * @param probingRebalanceInterval how often the group checks whether warming-up members caught up
 * @param transactionTimeout       how long a killed member's open exactly-once transaction blocks
 *                                 the topics it wrote to (changelogs included) before it is aborted
 * @param leaveGroupOnClose        a closing member leaves the group, even with static membership, so
 *                                 its partitions move at once instead of after the session timeout
 */
public record Failover(int standbyReplicas, Duration sessionTimeout, long acceptableRecoveryLag,
                       Duration probingRebalanceInterval, Duration transactionTimeout, boolean leaveGroupOnClose) {

    /** One warm copy: a killed member's devices are scored again without restoring a changelog. */
    public static final int DEFAULT_STANDBY_REPLICAS = 1;
    /** The brokers' smallest allowed session timeout by default ({@code group.min.session.timeout.ms}). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** Ten times Kafka Streams' 10,000: a member behind by this many records restores them in about a second. */
    public static final long DEFAULT_ACCEPTABLE_RECOVERY_LAG = 100_000;
    /** Kafka Streams' smallest allowed interval: a new member takes its share within a minute. */
    public static final Duration DEFAULT_PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(1);
    /** Half Kafka Streams' exactly-once 10 s; a transaction lasts one commit interval (100 ms). */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(5);
    /** Kafka Streams refuses a probing rebalance interval under a minute. */
    static final Duration MIN_PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(1);

    public Failover {
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standby replicas must be 0 or more, got " + standbyReplicas);
        }
        if (sessionTimeout.toMillis() < 3) {
            throw new IllegalArgumentException("session timeout must be at least 3 ms, got " + sessionTimeout.toMillis());
        }
        if (acceptableRecoveryLag < 0) {
            throw new IllegalArgumentException("acceptable recovery lag must be 0 or more, got " + acceptableRecoveryLag);
        }
        if (probingRebalanceInterval.compareTo(MIN_PROBING_REBALANCE_INTERVAL) < 0) {
            throw new IllegalArgumentException("probing rebalance interval must be at least "
                    + MIN_PROBING_REBALANCE_INTERVAL.toMillis() + " ms, got " + probingRebalanceInterval.toMillis());
        }
        if (transactionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("transaction timeout must be positive, got " + transactionTimeout.toMillis());
        }
    }

    public static Failover defaults() {
        return new Failover(DEFAULT_STANDBY_REPLICAS, DEFAULT_SESSION_TIMEOUT, DEFAULT_ACCEPTABLE_RECOVERY_LAG,
                DEFAULT_PROBING_REBALANCE_INTERVAL, DEFAULT_TRANSACTION_TIMEOUT, true);
    }

    /**
     * The Kafka Streams properties these settings stand for. The client ones are unprefixed (only the
     * main consumer joins the group, only the producer opens transactions), so a Kafka client property
     * given to the detector ({@code --kafka-config}, {@code VIGIL_KAFKA_SESSION_TIMEOUT_MS}) put after
     * them still wins.
     */
    public Map<String, Object> streamsConfig() {
        return Map.of(
                StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
                // the usual third of the session timeout: three heartbeats may be lost before a member is dropped
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1, sessionTimeout.toMillis() / 3),
                StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, acceptableRecoveryLag,
                StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, probingRebalanceInterval.toMillis(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
    }
}
