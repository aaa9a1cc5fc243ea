package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil detect} fails with one clear line, before touching Kafka, when it cannot score. */
class DetectCommandTest {

    @TempDir
    Path models;

    private final StringWriter err = new StringWriter();

    @Test
    void aMissingModelBundleIsAUsageError() {
        // when
        int exit = detect("--topologies", "topologies", "--model-dir", models.toString());

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("vigil: no model bundle for kind 'vibration' in "
                + models.resolve("vibration") + " (train one with 'vigil train --topology vibration')");
    }

    @Test
    void untilTheModelPackageLandsDetectSaysSo() throws IOException {
        // given
        Files.createDirectories(models.resolve("vibration"));

        // when
        int exit = detect("--topologies", "topologies", "--model-dir", models.toString());

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("vigil: model loading arrives with the model package: 'vigil detect' cannot score yet");
    }

    private int detect(String... args) {
        var cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "detect";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }
}
