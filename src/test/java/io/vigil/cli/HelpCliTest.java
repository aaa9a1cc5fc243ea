package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.CliRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help} reads whole: one sentence per command in every list, examples on lines of their own. */
class HelpCliTest {

    @Test
    void theTopLevelHelpListsEveryCommandInOneSentence() {
        assertThat(help("--help")).containsExactly(
                "Streaming anomaly detection for industrial IoT: MQTT v5 -> Kafka Streams -> LSTM autoencoder -> alerts.",
                "Usage: vigil [-hV] [COMMAND]",
                "  -h, --help      Show this help message and exit.",
                "  -V, --version   Print version information and exit.",
                "Commands:",
                "  help      Display help information about the specified command.",
                "  simulate  Simulate a fleet of bearings (Lorenz model, healthy and faulty states) from a scenario file.",
                "  train     Train an LSTM autoencoder on healthy data and calibrate its alert threshold without labels.",
                "  score     Score recorded or simulated data offline with a model bundle, one CSV line per window.",
                "  detect    Score per-device windows from the readings topics and publish score and alert events.",
                "  broker    Run one Kafka KRaft node (broker and controller); start one per voter for a cluster.",
                "  bridge    Forward every MQTT v5 reading to its Kafka readings topic, keyed by device id.",
                "  demo      Run the whole pipeline on in-process brokers with a simulated fleet that fails, and show it live.",
                "  bench     Run the benchmarks whose numbers go in docs/benchmarks.md, with the machine they ran on.",
                "  evaluate  Evaluate a model on recorded data and write report.md with PNG plots to --out.",
                "  replay    Replay recorded data as live readings, over MQTT v5 (through the bridge) or straight to Kafka.",
                "  model     Roll a model bundle out to every running detector, or try it in shadow, without a restart.");
    }

    @Test
    void benchAndReplayListTheirSubcommandsInOneSentenceEach() {
        assertThat(commandList("bench", "--help")).containsExactly(
                "  model         Measure scoring throughput and training time of the java, samediff and layers engines.",
                "  pipeline      Measure throughput and latency of the whole pipeline, per fleet size, on embedded or external brokers.",
                "  soak          Run the pipeline for a long while with hostile input mixed in, and track memory and threads.",
                "  memory        Measure what each device costs in the detector's state stores, per fleet size.",
                "  replay        Measure how fast a Backblaze folder replays into Kafka, directly and over MQTT.",
                "  frontend      Measure the front-end and windowing cost per raw sample (one device, one thread).",
                "  train-memory  Measure the process's memory (RSS) after every training epoch: it must stay flat.");
        assertThat(commandList("replay", "--help")).containsExactly(
                "  backblaze  Replay Backblaze Drive Stats as SMART readings, one per drive-day.",
                "  csv        Replay recorded sensor files as batched readings, shifted in time to start now.");
    }

    static Stream<String> everyCommand() {
        List<String> names = new ArrayList<>();
        collect(Vigil.commandLine(), names);
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCommand")
    void everyHelpFitsTheWidthAndEveryExampleIsOneCopyableCommand(String command) {
        // given
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        argv.remove(0); // "vigil"
        argv.add("--help");

        // when
        List<String> lines = help(argv.toArray(String[]::new));

        // then: nothing wrapped past the width, and after "Examples:" each line is a command, a continuation
        // of one ending in '\', blank, or prose that ends a sentence
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Vigil.USAGE_HELP_WIDTH));
        assertThat(lines.get(0)).as("the header").endsWith(".");
        int examples = Math.max(lines.indexOf("Examples:"), lines.indexOf("Example:"));
        if (examples < 0) {
            return;
        }
        for (int i = examples + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean continued = lines.get(i - 1).endsWith("\\");
            assertThat(line.isEmpty() || line.startsWith("  vigil " + argv.get(0)) || continued && line.startsWith("      ")
                    || !line.startsWith(" ") && line.endsWith("."))
                    .as("line %d of '%s --help': %s", i, command, line).isTrue();
        }
    }

    private static void collect(CommandLine cli, List<String> names) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                names.add(sub.getCommandSpec().qualifiedName());
                collect(sub, names);
            }
        }
    }

    private static List<String> commandList(String... args) {
        List<String> lines = help(args);
        int from = lines.indexOf("Commands:") + 1;
        int to = lines.indexOf("");
        return lines.subList(from, to < from ? lines.size() : to);
    }

    private static List<String> help(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).isZero();
        return run.out().lines().toList();
    }
}
