package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken configuration, topology, scenario and model files handed to the real commands: each one is
 * a single line on stderr naming the file (and the field where there is one), exit code 2, no stack trace.
 * {@code {dir}} in the arguments is the test's folder holding the broken file.
 */
class BadFilesCliTest {

    static final String GOOD_TOPOLOGY = readTopology();

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                // topologies, through `vigil bridge --topologies` (loaded before any connection)
                topology("not YAML at all", ": : :\n\t- [", "vibration.yaml"),
                topology("a list, not a mapping", "- kind: vibration\n", "vibration.yaml"),
                topology("hop is text", GOOD_TOPOLOGY.replaceFirst("(?m)^hop:.*$", "hop: abc"), "field 'hop'"),
                topology("window is negative", GOOD_TOPOLOGY.replaceFirst("(?m)^window:.*$", "window: -64"), "field 'window'"),
                topology("no features", GOOD_TOPOLOGY.replaceFirst("(?m)^features:.*$", "features: []"), "field 'features'"),
                topology("unknown field", GOOD_TOPOLOGY + "\nretention: 7d\n", "field 'retention'"),
                topology("range with min above max", GOOD_TOPOLOGY + "\nrange: {x: [1e6, -1e6]}\n", "field 'range.x'"),
                topology("empty file", "", "vibration.yaml"),
                topology("binary garbage", "\u0000\u0001\u0002PK\u0003\u0004", "vibration.yaml"),
                // scenarios, through `vigil simulate --scenario`
                scenario("rate is text", "name: s\nseed: 1\ndevices: {count: 2}\nrateHz: fast\ndurationSeconds: 1\n", "field 'rateHz'"),
                scenario("no devices", "name: s\nseed: 1\nrateHz: 100\ndurationSeconds: 1\n", "field 'devices"),
                scenario("fault on an unknown device", "name: s\nseed: 1\ndevices: {count: 2}\nrateHz: 100\n"
                        + "durationSeconds: 1\nfaults:\n  - {devices: [bearing-99], mode: sudden, at: 0}\n", "faults"),
                scenario("unknown fault mode", "name: s\nseed: 1\ndevices: {count: 2}\nrateHz: 100\n"
                        + "durationSeconds: 1\nfaults:\n  - {devices: [1], mode: explode, at: 0}\n", "mode"),
                // model bundles, through `vigil score --model`
                model("not a zip", "this is not a zip file".getBytes(StandardCharsets.UTF_8)),
                model("empty file", new byte[0]),
                model("a zip without bundle.json", emptyZip()),
                // model bundles, through `vigil model publish` (checked before any connection)
                published("not a zip", "this is not a zip file".getBytes(StandardCharsets.UTF_8)),
                published("a zip without bundle.json", emptyZip()),
                // Backblaze data, through `vigil replay backblaze --dir` (checked before any reading is sent)
                backblaze("an empty daily file", "", "empty file"),
                backblaze("a daily file without serial_number", "date,model,capacity_bytes,failure\n2013-04-10,M,1,0\n",
                        "column 'serial_number' missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenFileIsOneLineNamingItAndExitTwo(String name, String file, byte[] content, List<String> args,
                                               String mentions, @TempDir Path dir) throws IOException {
        // given
        Files.write(dir.resolve(file), content);
        List<String> argv = args.stream().map(a -> a.replace("{dir}", dir.toString())).toList();

        // when
        CliRun run = CliRun.of(argv);

        // then
        String line = run.err().strip();
        System.out.println("BadFilesCliTest [" + name + "]: " + line);
        assertThat(run.exit()).as(line).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(line).startsWith("vigil: ").doesNotContain("\n", "\tat ", "Exception:").contains(file).contains(mentions);
    }

    private static Arguments topology(String name, String yaml, String mentions) {
        return Arguments.of("topology: " + name, "vibration.yaml", yaml.getBytes(StandardCharsets.UTF_8),
                List.of("bridge", "--topologies", "{dir}", "--metrics-port", "0"), mentions);
    }

    private static Arguments scenario(String name, String yaml, String mentions) {
        return Arguments.of("scenario: " + name, "broken.yaml", yaml.getBytes(StandardCharsets.UTF_8),
                List.of("simulate", "--scenario", "{dir}/broken.yaml", "--out", "{dir}/out.csv"), mentions);
    }

    private static Arguments model(String name, byte[] content) {
        return Arguments.of("model: " + name, "vibration.zip", content,
                List.of("score", "--model", "{dir}/vibration.zip", "--data", "simulator/healthy.yaml"), "vibration.zip");
    }

    private static Arguments published(String name, byte[] content) {
        return Arguments.of("model publish: " + name, "vibration.zip", content,
                List.of("model", "publish", "{dir}/vibration.zip", "--bootstrap", "127.0.0.1:1"), "vibration.zip");
    }

    private static Arguments backblaze(String name, String csv, String mentions) {
        return Arguments.of("backblaze: " + name, "2013-04-10.csv", csv.getBytes(StandardCharsets.UTF_8),
                List.of("replay", "backblaze", "--dir", "{dir}", "--to", "kafka", "--bootstrap", "127.0.0.1:1",
                        "--metrics-port", "0"), mentions);
    }

    private static byte[] emptyZip() {
        try (var bytes = new java.io.ByteArrayOutputStream(); var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("no bundle here".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readTopology() {
        try {
            return Files.readString(Path.of("topologies/vibration.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
