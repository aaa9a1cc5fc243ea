package io.vigil.cli;

import io.vigil.pipeline.Pipeline;
import io.vigil.bench.SoakBench;
import io.vigil.kind.SensorKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench soak}: a long pipeline run with hostile messages mixed in, sampling memory. */
@Command(name = "soak",
        mixinStandardHelpOptions = true,
        header = "Run the pipeline for a long while with hostile input mixed in, and track memory and threads.",
        description = {
                "Run simulator -> MQTT -> bridge -> Kafka -> detector on embedded brokers (or the ones --broker/--bootstrap",
                "name) for a long while, with a share",
                "of the hostile-input corpus mixed into the stream, and sample heap (after a full GC), process RSS,",
                "JavaCPP native memory, direct buffers and threads. Writes soak.csv (the command, machine and load in its",
                "header) and soak.png to --out and reports",
                "each figure's growth per hour, the dead-letter count against the hostile messages sent, and every",
                "window scored."},
        footer = {"", "Examples:",
                "  vigil bench soak --minutes 10 --devices 100 --hostile 0.01"})
public final class BenchSoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "10", description = "How long the fleet publishes (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--devices", defaultValue = "100", paramLabel = "N", description = "Fleet size (default: ${DEFAULT-VALUE}).")
    int devices;

    @Mixin
    SampleRateOption rateHz;

    @Option(names = "--hostile", defaultValue = "0.01", paramLabel = "SHARE",
            description = "Hostile messages per fleet message (default: ${DEFAULT-VALUE}).")
    double hostile;

    @Option(names = "--sample-every", defaultValue = "30", paramLabel = "S", description = "Seconds between memory samples (default: ${DEFAULT-VALUE}).")
    double sampleSeconds;

    @Option(names = "--out", defaultValue = "target/soak", paramLabel = "DIR", description = "Where soak.csv and soak.png go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Mixin
    EmbeddedPipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || devices < 1 || !(rateHz.hz > 0) || hostile < 0 || hostile > 1 || !(sampleSeconds > 0)) {
            throw new UsageException("--minutes, --devices, --rate and --sample-every must be positive, --hostile in [0, 1]");
        }
        BenchProvenance provenance = BenchProvenance.of(spec);
        pipeline.quietLogs();
        PrintWriter out = spec.commandLine().getOut();
        Pipeline.Brokers brokers = pipeline.brokers(); // a usage error before a model is trained
        println(out, "soak: " + provenance.command());
        SensorKind kind = pipeline.vibration();
        Path model = pipeline.model(kind, out, "soak: ");
        println(out, String.format(Locale.ROOT, "soak: %d devices x %.0f Hz for %.0f min, %.1f%% hostile messages",
                devices, rateHz.hz, minutes, 100 * hostile));
        println(out, "soak: " + BenchProvenance.machine() + "; load average " + provenance.loadBefore());
        SoakBench.Result r = SoakBench.run(kind, new SoakBench.Settings(devices, rateHz.hz,
                        Duration.ofMillis((long) (minutes * 60_000)), hostile, Duration.ofMillis((long) (sampleSeconds * 1000)),
                        model, brokers, outDir),
                line -> println(out, "soak: " + line));
        List<String> header = provenance.header();
        SoakBench.write(r, header);
        SoakBench.Growth g = r.growth();
        println(out, String.format(Locale.ROOT, "%nsoak: growth after the first %.0f%% of the run, MB per hour (least squares):"
                        + " heap %+.1f, rss %+.1f (anonymous %+.1f), javacpp %+.1f, direct %+.1f; threads %+.1f per hour",
                100 * SoakBench.WARMUP_SHARE, g.heap(), g.rss(), g.anonymous(), g.javacpp(), g.direct(), g.threads()));
        println(out, String.format(Locale.ROOT, "soak: hostile messages sent %,d, dead-lettered %,d; windows scored %,d of %,d;"
                        + " %d alert events on a healthy fleet; detector %s",
                r.hostileSent(), r.rejected(), r.windows(), r.expectedWindows(), r.alerts(), r.detectorState()));
        println(out, "soak: " + header.get(2));
        println(out, "soak: wrote " + outDir.resolve("soak.csv") + " and " + outDir.resolve("soak.png"));
        boolean whole = r.rejected() == r.hostileSent() && r.windows() >= r.expectedWindows()
                && r.detectorState().equals("RUNNING");
        return whole ? 0 : 1;
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
