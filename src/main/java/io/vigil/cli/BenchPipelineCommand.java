package io.vigil.cli;

import io.vigil.bench.PipelineBench;
import io.vigil.pipeline.Pipeline;
import io.vigil.evaluate.Charts;
import io.vigil.kind.SensorKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench pipeline}: end-to-end throughput and latency on embedded brokers, per fleet size. */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        header = "Measure throughput and latency of the whole pipeline, per fleet size, on embedded or external brokers.",
        description = {
                "Run simulator -> MQTT -> bridge -> Kafka -> detector on embedded brokers (mosquitto if installed, else",
                "HiveMQ in-process), or on the brokers --broker/--bootstrap name, with a healthy fleet in real time,",
                "and report per fleet size: samples/s each stage",
                "sustained after the warm-up, p50/p99/max latency from a window's newest sample to its score event,",
                "and the stage that falls behind first. Writes latency.csv (the command, machine and load in its header) and",
                "latency.png to --out."},
        footer = {"", "Examples:",
                "  vigil bench pipeline --devices 100,300,1000 --rate 100 --seconds 60"})
public final class BenchPipelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", defaultValue = "100", paramLabel = "N",
            description = "Fleet sizes, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> devices;

    @Mixin
    SampleRateOption rateHz;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S", description = "Seconds each fleet publishes (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "S", description = "Seconds left out of the measurement (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Mixin
    BatchMsOption batchMs;

    @Mixin
    StreamThreadsOption threads;

    @Option(names = "--out", defaultValue = "target/bench-pipeline", paramLabel = "DIR",
            description = "Where the latency curve goes: latency.csv and latency.png (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Mixin
    EmbeddedPipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        if (devices.stream().anyMatch(n -> n < 1) || !(rateHz.hz > 0) || !(seconds > warmup) || warmup < 0
                || batchMs.ms < 1 || threads.count < 1) {
            throw new UsageException("--devices, --rate, --batch-ms and --threads must be positive, --seconds above --warmup");
        }
        BenchProvenance provenance = BenchProvenance.of(spec);
        pipeline.quietLogs();
        PrintWriter out = spec.commandLine().getOut();
        Pipeline.Brokers brokers = pipeline.brokers(); // a usage error before a model is trained
        println(out, "bench: " + provenance.command());
        SensorKind kind = pipeline.vibration();
        Path model = pipeline.model(kind, out, "bench: ");
        println(out, "bench: " + BenchProvenance.machine() + "; load average " + provenance.loadBefore());
        List<PipelineBench.Result> results = new ArrayList<>();
        for (int n : devices) {
            println(out, String.format(Locale.ROOT, "bench: %d devices x %.0f Hz for %.0f s (warm-up %.0f s) ...", n, rateHz.hz,
                    seconds, warmup));
            PipelineBench.Result result = PipelineBench.run(kind, new PipelineBench.Settings(n, rateHz.hz, seconds, warmup,
                    batchMs.ms, threads.count, model, brokers), line -> println(out, "bench:   " + line));
            results.add(result);
            if (devices.size() > 1) {
                println(out, table(List.of(result))); // each row as soon as it is known; all of them at the end
            }
        }
        println(out, table(results));
        List<String> header = provenance.header();
        println(out, "bench: " + header.get(2));
        writeLatencyCurve(header, results);
        println(out, "bench: wrote " + outDir.resolve("latency.csv") + " and " + outDir.resolve("latency.png"));
        return 0;
    }

    /** p50, p99 and max latency against fleet size, as CSV (the header lines first) and as a plot. */
    private void writeLatencyCurve(List<String> header, List<PipelineBench.Result> results) throws java.io.IOException {
        java.nio.file.Files.createDirectories(outDir);
        java.nio.file.Files.writeString(outDir.resolve("latency.csv"), latencyCsv(header, results));
        double[] x = results.stream().mapToDouble(r -> r.settings().devices()).toArray();
        Charts.lines(outDir.resolve("latency.png"), String.format(Locale.ROOT,
                        "Sample-to-score latency as the fleet grows (%.0f Hz per device, %.0f s per size)", rateHz.hz, seconds),
                "devices", "latency (ms)", List.of(
                        new Charts.Line("p50", x, results.stream().mapToDouble(r -> r.p(50)).toArray()),
                        new Charts.Line("p99", x, results.stream().mapToDouble(r -> r.p(99)).toArray()),
                        new Charts.Line("max", x, results.stream().mapToDouble(r -> r.p(100)).toArray())),
                false, null);
    }

    /** The header lines as {@code #} comments, then one row per fleet size. */
    static String latencyCsv(List<String> header, List<PipelineBench.Result> results) {
        StringBuilder csv = new StringBuilder();
        header.forEach(line -> csv.append("# ").append(line).append('\n'));
        csv.append("devices,rate_hz,offered_samples_per_s,scored_samples_per_s,p50_ms,p99_ms,max_ms\n");
        for (PipelineBench.Result r : results) {
            csv.append(String.format(Locale.ROOT, "%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f%n", r.settings().devices(),
                    r.settings().rateHz(), r.offered(), r.scored(), r.p(50), r.p(99), r.p(100)));
        }
        return csv.toString();
    }

    static String table(List<PipelineBench.Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%n%8s %10s %10s %10s %10s %8s %8s %8s %8s %7s %6s %6s%n", "devices", "offered/s", "published", "bridged",
                "scored", "p50 ms", "p99 ms", "max ms", "drain s", "batch", "model", "cpu"));
        for (PipelineBench.Result r : results) {
            s.append(String.format(Locale.ROOT, "%8d %10.0f %10.0f %10.0f %10.0f %8.0f %8.0f %8.0f %8.1f %7.1f %5.0f%% %5.0f%%%n",
                    r.settings().devices(), r.offered(), r.published(), r.bridged(), r.scored(), r.p(50), r.p(99),
                    r.p(100), r.drainSeconds(), r.meanBatch(), 100 * r.modelBusy(), 100 * r.processCpu()));
        }
        s.append("\nrates: samples/s after the warm-up; latency: newest sample of a window -> its score event readable"
                + " (read_committed); drain: seconds after the fleet stopped until every window was scored;"
                + " batch: windows per model call; model: share of wall time inside model calls; cpu: this JVM, share"
                + " of all cores (an external MQTT broker process not included)\n");
        for (PipelineBench.Result r : results) {
            s.append(String.format(Locale.ROOT, "%5d devices: bottleneck %s%s%n", r.settings().devices(), r.bottleneck(),
                    r.alerts() > 0 ? " (" + r.alerts() + " alert events on a healthy fleet)" : ""));
        }
        return s.toString();
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
