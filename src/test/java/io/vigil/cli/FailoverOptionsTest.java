package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.stream.Failover;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil detect}'s failover options become one {@link Failover}; a value out of range is one line, exit 2. */
class FailoverOptionsTest {

    @Test
    void withoutOptionsTheDetectorGetsTheDefaults() {
        // given
        DetectCommand detect = new DetectCommand();

        // when
        new CommandLine(detect).parseArgs();

        // then
        assertThat(detect.failover.failover()).isEqualTo(Failover.defaults());
    }

    @Test
    void everyOptionReachesTheFailoverSettings() {
        // given
        DetectCommand detect = new DetectCommand();

        // when
        new CommandLine(detect).parseArgs("--standby-replicas", "0", "--session-timeout-ms", "10000",
                "--acceptable-recovery-lag", "5000", "--probing-rebalance-interval-ms", "120000",
                "--transaction-timeout-ms", "8000", "--no-leave-group-on-close");

        // then
        assertThat(detect.failover.failover()).isEqualTo(new Failover(0, Duration.ofSeconds(10), 5000,
                Duration.ofMinutes(2), Duration.ofSeconds(8), false));
    }

    @Test
    void aProbingIntervalUnderAMinuteIsAUsageError() {
        // given
        StringWriter err = new StringWriter();
        CommandLine vigil = Vigil.commandLine();
        vigil.setErr(new PrintWriter(err, true));

        // when
        int exit = vigil.execute("detect", "--probing-rebalance-interval-ms", "30000");

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("vigil: probing rebalance interval must be at least 60000 ms, got 30000");
    }
}
