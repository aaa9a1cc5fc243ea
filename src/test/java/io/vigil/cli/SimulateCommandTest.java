package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesTheScenarioAsCsv() throws IOException {
        // given
        Path csv = dir.resolve("faults.csv");

        // when 2 s of the evaluation fleet are written
        int exit = run("simulate", "--scenario", "simulator/faults.yaml", "--out", csv.toString(),
                "--duration", "2", "--start-ms", "1700000000000");

        // then a header and 9 devices x 200 samples, in time order
        List<String> lines = Files.readAllLines(csv);
        assertThat(exit).isZero();
        assertThat(lines).hasSize(1 + 9 * 200);
        assertThat(lines.get(0)).isEqualTo("ts,device,x,y,z,label");
        assertThat(lines.subList(1, 11)).extracting(l -> l.substring(0, l.indexOf(',', 14)))
                .containsExactly("1700000000000,eval-01", "1700000000000,eval-02", "1700000000000,eval-03",
                        "1700000000000,eval-04", "1700000000000,eval-05", "1700000000000,eval-06",
                        "1700000000000,eval-07", "1700000000000,eval-08", "1700000000000,eval-09",
                        "1700000000010,eval-01");
        assertThat(out.toString()).startsWith("simulate: wrote 1800 rows (9 devices x 200 samples, faults) to " + csv);
    }

    @Test
    void missingScenarioIsOneLineAndExitTwo() {
        int exit = run("simulate", "--scenario", "simulator/nope.yaml", "--out", dir.resolve("x.csv").toString());

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("vigil: simulator/nope.yaml: scenario file not found"
                + System.lineSeparator());
    }

    @Test
    void outAndBrokerTogetherAreRejected() {
        int exit = run("simulate", "--scenario", "simulator/demo.yaml", "--out", "x.csv", "--broker", "tcp://h:1883");

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("vigil: give either --out FILE or --broker URL, not both"
                + System.lineSeparator());
    }

    @Test
    void helpShowsAnExample() {
        int exit = run("simulate", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("vigil simulate --scenario simulator/demo.yaml --out demo.csv");
    }

    private int run(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
