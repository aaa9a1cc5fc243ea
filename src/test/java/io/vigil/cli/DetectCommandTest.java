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
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void aMissingModelBundleIsAUsageError() throws IOException {
        // given
        Path model = dir.resolve("missing.zip");
        Path topologies = topologyWithModel(model);

        // when
        int exit = detect("--topologies", topologies.toString());

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("vigil: no model bundle for kind 'vibration' at " + model
                + " (create it with 'vigil train --topology vibration --data DATA', which saves there)");
    }

    @Test
    void aCorruptModelBundleNamesTheFile() throws IOException {
        // given
        Path model = Files.writeString(dir.resolve("corrupt.zip"), "not a zip");
        Path topologies = topologyWithModel(model);

        // when
        int exit = detect("--topologies", topologies.toString());

        // then
        assertThat(exit).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString().strip()).isEqualTo("vigil: " + model
                + ": not a model bundle: expected entries bundle.json and weights.bin");
    }

    private Path topologyWithModel(Path model) throws IOException {
        Path topologies = Files.createDirectories(dir.resolve("topologies"));
        String yaml = Files.readString(Path.of("topologies/vibration.yaml"))
                .replace("model: models/vibration.zip", "model: " + model);
        Files.writeString(topologies.resolve("vibration.yaml"), yaml);
        return topologies;
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
