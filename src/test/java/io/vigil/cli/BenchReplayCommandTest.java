package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.bench.ReplayBench;
import io.vigil.replay.BackblazeReplay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReplayCommandTest {

    @Test
    void tableHasOneRowPerTargetWithPublishDeliveredAndRowsPerSecond() {
        BackblazeReplay.Totals totals = new BackblazeReplay.Totals(40, 40, 435_465, 435_465, 0, 0, 0, 0, 2.9);

        String table = BenchReplayCommand.table(List.of(
                new ReplayBench.Result(ReplayBench.Target.kafka, totals, 2.9, 2.9),
                new ReplayBench.Result(ReplayBench.Target.mqtt, totals, 9.7, 15.8)));

        assertThat(table).isEqualTo("""

                target  days       rows   readings  publish s  delivered s     rows/s
                kafka     40    435,465    435,465        2.9          2.9    150,160
                mqtt      40    435,465    435,465        9.7         15.8     27,561

                publish: first row read -> last reading acknowledged (Kafka acks=all; MQTT PUBACK); delivered: -> \
                every reading in Kafka (MQTT: forwarded by the bridge); rows/s over delivered
                """);
    }

    @Test
    void aMissingFolderIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        var cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("bench", "replay", "--dir", "no/such/folder");

        assertThat(code).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("vigil: no/such/folder: Backblaze data not found\n");
    }
}
