package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchMemoryCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsOneRowPerFleetSizeWithTheStoredBytesPerDevice() {
        // when
        int exit = run("bench", "memory", "--devices", "4,2", "--warmup-devices", "0", "--temp-dir", tmp.toString());

        // then: smallest first; a vibration ring is 1,385 bytes and a device id 13, so 1,398 bytes a device
        // are stored, and 4 ring writes plus a pending window and its tombstone are logged
        assertThat(exit).isZero();
        String table = out.toString();
        assertThat(table).contains("| 2 -> 4 |");
        assertThat(table.lines().filter(l -> l.startsWith("| 2 |") || l.startsWith("| 4 |")))
                .hasSize(6) // per-device rows as each size finishes and again at the end, plus the totals
                .filteredOn(l -> l.contains(" s |"))
                .allSatisfy(l -> assertThat(l).endsWith("| 1,398 B | 6,468 B |"));
    }

    @Test
    void aNonPositiveFleetIsAUsageError() {
        // when
        int exit = run("bench", "memory", "--devices", "0");

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).startsWith("vigil: --devices");
    }

    private int run(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
