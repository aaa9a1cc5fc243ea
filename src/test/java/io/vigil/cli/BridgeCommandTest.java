package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BridgeCommandTest {

    @Test
    void missingTopologyFolderIsAOneLineUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("bridge", "--topologies", dir.resolve("nope").toString());

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).startsWith("vigil: ").contains("nope").doesNotContain("\n");
    }

    @Test
    void outOfRangeInFlightLimitIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("bridge", "--max-inflight", "0");

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("vigil: --max-inflight must be 1..65535, got 0");
    }
}
