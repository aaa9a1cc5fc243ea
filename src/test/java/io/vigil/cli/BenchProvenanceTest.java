package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.pipeline.Pipeline;
import io.vigil.bench.PipelineBench;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The header a bench report starts with: the command that wrote it, every option included, the machine and load. */
class BenchProvenanceTest {

    @BeforeEach
    void noBrokersInTheEnvironment() {
        assumeTrue(System.getenv("VIGIL_MQTT_BROKER") == null && System.getenv("VIGIL_KAFKA_BOOTSTRAP") == null,
                "VIGIL_MQTT_BROKER or VIGIL_KAFKA_BOOTSTRAP is set: they are the --broker and --bootstrap defaults");
    }

    @Test
    void thePipelineBenchsCommandCarriesEveryOptionDefaultsIncludedAsTyped() {
        // when
        String command = BenchProvenance.commandLine(parsed("bench", "pipeline", "--devices", "100,300,1000",
                "--seconds", "30", "--mqtt", "mosquitto"));

        // then: declaration order, the mixin's options last; the blank --broker/--bootstrap defaults and the unset --verbose left out
        assertThat(command).isEqualTo("vigil bench pipeline --devices 100,300,1000 --rate 100 --seconds 30 --warmup 10"
                + " --batch-ms 100 --threads 1 --out target/bench-pipeline --mqtt mosquitto --topologies topologies");
    }

    @Test
    void theSoakBenchsCommandWithNoOptionsGivenIsItsDefaults() {
        // when
        String command = BenchProvenance.commandLine(parsed("bench", "soak"));

        // then
        assertThat(command).isEqualTo("vigil bench soak --minutes 10 --devices 100 --rate 100 --hostile 0.01"
                + " --sample-every 30 --out target/soak --mqtt auto --topologies topologies");
    }

    @Test
    void theTrainMemoryCommandIsTheLineItsCommittedReportStartsWith() {
        // when
        String command = BenchProvenance.commandLine(parsed("bench", "train-memory", "--out", "docs/reports/train-memory"));

        // then: the first line of docs/reports/train-memory/train-memory.csv, written before this helper existed
        assertThat(command).isEqualTo("vigil bench train-memory --epochs 50 --devices 4 --samples 2500 --window 64"
                + " --hop 1 --seed 42 --out docs/reports/train-memory");
    }

    @Test
    void flagsAppearWhenSetExternalBrokersAreNamedAndValuesAShellWouldSplitAreQuoted() {
        // when
        String command = BenchProvenance.commandLine(parsed("bench", "soak", "--verbose", "--out", "my soak's dir",
                "--broker", "tcp://mqtt.example:1883", "--bootstrap", "kafka.example:9092"));

        // then
        assertThat(command).isEqualTo("vigil bench soak --minutes 10 --devices 100 --rate 100 --hostile 0.01"
                + " --sample-every 30 --out 'my soak'\\''s dir' --mqtt auto --broker tcp://mqtt.example:1883"
                + " --bootstrap kafka.example:9092 --topologies topologies --verbose");
    }

    @Test
    void theHeaderIsTheCommandThenTheMachineThenTheLoadBeforeAndAfter() {
        // when
        List<String> header = BenchProvenance.of(parsed("bench", "soak", "--minutes", "1")).header();

        // then: the machine and the load differ from machine to machine, so their shape is checked, not their values
        assertThat(header).hasSize(3);
        assertThat(header.get(0)).isEqualTo("vigil bench soak --minutes 1 --devices 100 --rate 100 --hostile 0.01"
                + " --sample-every 30 --out target/soak --mqtt auto --topologies topologies");
        assertThat(header.get(1)).startsWith("machine: ").contains(" cores; max heap ", "; OMP_NUM_THREADS=",
                "; javacpp maxbytes=");
        assertThat(header.get(2)).matches("load average \\(1, 5, 15 min\\) before (\\S+ \\S+ \\S+|unknown),"
                + " after (\\S+ \\S+ \\S+|unknown)");
    }

    @Test
    void theLatencyCsvStartsWithTheHeaderAsCommentsAndItsRowsStillParse() {
        // given: latencies of 100, 200, ..., 1000 ms at one fleet size
        Histogram latency = new Histogram(3);
        for (int ms = 100; ms <= 1000; ms += 100) {
            latency.recordValue(ms);
        }
        PipelineBench.Result result = new PipelineBench.Result(new PipelineBench.Settings(300, 100, 60, 10, 100, 1,
                Path.of("model.zip"), new Pipeline.Brokers("tcp://mqtt.example:1883", "kafka.example:9092", null)),
                30_000, 30_000, 29_990, 29_980, 1.5, 0.4, 0.7, 12, latency, 0);

        // when
        String csv = BenchPipelineCommand.latencyCsv(List.of("vigil bench pipeline --devices 300", "machine: m",
                "load average (1, 5, 15 min) before 1 2 3, after 4 5 6"), List.of(result));

        // then
        assertThat(csv).isEqualTo("""
                # vigil bench pipeline --devices 300
                # machine: m
                # load average (1, 5, 15 min) before 1 2 3, after 4 5 6
                devices,rate_hz,offered_samples_per_s,scored_samples_per_s,p50_ms,p99_ms,max_ms
                300,100,30000,29980,500,1000,1000
                """);
        List<String[]> rows = csv.lines().filter(line -> !line.startsWith("#")).map(line -> line.split(",")).toList();
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(rows.get(0).length));
        assertThat(Arrays.stream(rows.get(1)).mapToDouble(Double::parseDouble).toArray())
                .containsExactly(300, 100, 30000, 29980, 500, 1000, 1000);
    }

    /** The spec of the (sub)command {@code args} name, parsed but not run. */
    private static CommandSpec parsed(String... args) {
        CommandLine.ParseResult result = Vigil.commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }
}
