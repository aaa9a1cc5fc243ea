package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.CliRun;
import io.vigil.testkit.TestModels;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sensor report's header is written by the code and names everything that shaped it. */
class EvaluateCommandTest {

    @TempDir
    Path dir;

    @Test
    void theReportHeaderCarriesTheCommandTheModelAndTheFrontEnd() throws IOException {
        // given: 60 s of the evaluation fleet, and the cached vibration bundle
        Path csv = dir.resolve("faults.csv");
        assertThat(CliRun.of("simulate", "--scenario", "simulator/faults.yaml", "--out", csv.toString(), "--duration",
                "60", "--start-ms", "1700000000000").exit()).isZero();
        Path model = TestModels.vibration(SensorKindLoader.load(Path.of("topologies/vibration.yaml")));
        Path out = dir.resolve("report");

        // when: two devices only
        CliRun run = CliRun.of("evaluate", "--topology", "vibration", "--data", csv.toString(), "--model",
                model.toString(), "--include", "eval-0[12]", "--out", out.toString());

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> header = Files.readAllLines(out.resolve("report.md")).subList(0, 7);
        assertThat(header).containsExactly(
                "# Vigil evaluation: vibration",
                "",
                "Written by `vigil evaluate --topology vibration --data " + csv + " --include 'eval-0[12]' --out " + out
                        + " --model " + model + "`.",
                "",
                "- Model: the bundle " + model + " (not trained here)",
                "- Topology `vibration`: front-end blocks 1 mean; window 64, hop 16 frames",
                "");
    }

    @Test
    void anIncludeThatMatchesNothingIsOneLine() throws IOException {
        // given
        Path csv = dir.resolve("faults.csv");
        CliRun.of("simulate", "--scenario", "simulator/faults.yaml", "--out", csv.toString(), "--duration", "2");

        // when
        CliRun run = CliRun.of("evaluate", "--topology", "vibration", "--data", csv.toString(), "--include", "pump-*",
                "--out", dir.resolve("report").toString());

        // then
        assertThat(run.exit()).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(run.err()).isEqualTo("vigil: " + csv + ": no recording matches 'pump-*'" + System.lineSeparator());
    }
}
