package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil evaluate} on data it cannot judge: one line naming the problem, exit code 2, nothing trained. */
class EvaluateCliTest {

    @TempDir
    Path dir;

    @Test
    void anUnlabelledRecordingIsOneLineAndExitTwo() throws IOException {
        // given: a SKAB-like run without its anomaly column
        Path run = Files.writeString(dir.resolve("run.csv"), """
                datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;\
                Volume Flow RateRMS
                2020-02-08 13:30:47;0.2;0.27;2.1;0.38;90.6;26.8;238.8;122.6
                """);

        // when
        CliRun r = CliRun.of("evaluate", "--topology", "skab", "--data", run.toString(), "--out",
                dir.resolve("report").toString());

        // then
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("vigil: [" + run + "]: the recordings carry no labels; evaluation needs a "
                + "label column ('anomaly'), a labels.json with anomaly windows (NAB) or ADXL356 file names\n");
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void missingTrainingDataIsOneLineAndExitTwo() {
        CliRun r = CliRun.of("evaluate", "--topology", "skab", "--data", dir.toString(), "--train-data",
                dir.resolve("nope").toString(), "--out", dir.resolve("report").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("vigil: " + dir.resolve("nope") + ": training data not found\n");
    }
}
