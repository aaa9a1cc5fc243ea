package io.vigil.cli;

import io.vigil.stream.Failover;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code vigil detect}'s failover options: how fast a detector group moves partitions ({@link Failover}). */
final class FailoverOptions {

    @Option(names = "--standby-replicas", defaultValue = "" + Failover.DEFAULT_STANDBY_REPLICAS, paramLabel = "N",
            description = "Warm copies of each task's state on other detectors, so a takeover restores nothing"
                    + " (default ${DEFAULT-VALUE}; 0 for none).")
    int standbyReplicas;

    @Option(names = "--session-timeout-ms", defaultValue = "6000", paramLabel = "MS",
            description = "How long the group waits for a detector that stopped answering (kill -9, lost host)"
                    + " before moving its partitions (default ${DEFAULT-VALUE}, the brokers' smallest by default).")
    long sessionTimeoutMs;

    @Option(names = "--acceptable-recovery-lag", defaultValue = "" + Failover.DEFAULT_ACCEPTABLE_RECOVERY_LAG,
            paramLabel = "RECORDS",
            description = "Changelog records a detector may lag and still take a task at once; above it, it warms"
                    + " up first (default ${DEFAULT-VALUE}).")
    long acceptableRecoveryLag;

    @Option(names = "--probing-rebalance-interval-ms", defaultValue = "60000", paramLabel = "MS",
            description = "How often the group checks whether a warming-up detector caught up and hands it its"
                    + " tasks (default ${DEFAULT-VALUE}, Kafka Streams' smallest).")
    long probingRebalanceIntervalMs;

    @Option(names = "--transaction-timeout-ms", defaultValue = "5000", paramLabel = "MS",
            description = "How long a killed detector's open exactly-once transaction blocks its topics before the"
                    + " brokers abort it (default ${DEFAULT-VALUE}).")
    long transactionTimeoutMs;

    @Option(names = "--leave-group-on-close", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "A stopping detector (Ctrl-C, SIGTERM) leaves the group, even with --instance-id, so its"
                    + " partitions move at once (default ${DEFAULT-VALUE}).")
    boolean leaveGroupOnClose;

    /** @throws UsageException when a value is out of range */
    Failover failover() {
        try {
            return new Failover(standbyReplicas, Duration.ofMillis(sessionTimeoutMs), acceptableRecoveryLag,
                    Duration.ofMillis(probingRebalanceIntervalMs), Duration.ofMillis(transactionTimeoutMs),
                    leaveGroupOnClose);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
