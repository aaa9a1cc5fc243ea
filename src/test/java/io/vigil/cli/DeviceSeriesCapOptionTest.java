package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** detect and demo share one --device-series-cap: same help, same check, before anything starts. */
class DeviceSeriesCapOptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"detect", "demo"})
    void aNegativeCapIsAOneLineUsageError(String command) {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute(command, "--device-series-cap", "-1");

        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("vigil: --device-series-cap must be 0 or more, got -1" + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"detect", "demo"})
    void helpShowsTheCapWithItsDefault(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute(command, "--help");

        assertThat(exit).isZero();
        assertThat(out.toString().replaceAll("\\s+", " "))
                .contains("--device-series-cap=N Devices with their own score/threshold/alert series")
                .contains("(default 200)");
    }
}
