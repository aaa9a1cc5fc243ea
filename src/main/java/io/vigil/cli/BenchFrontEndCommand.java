package io.vigil.cli;

import io.vigil.bench.FrontEndBench;
import io.vigil.model.Windower;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench frontend}: nanoseconds per raw sample of each topology's front-end and windowing, one thread. */
@Command(name = "frontend",
        mixinStandardHelpOptions = true,
        header = "Measure the front-end and windowing cost per raw sample (one device, one thread).",
        description = {"Feeds reproducible samples through each topology's Windower (its front-end, then the window",
                "ring): the code the detector runs for every raw sample before scoring. Prints the median of the",
                "timed runs, every run, windows cut and the state bytes the detector stores per device."},
        footer = {"", "Examples:",
                "  vigil bench frontend",
                "  vigil bench frontend --topologies adxl356 --samples 4000000 --runs 7"})
public final class BenchFrontEndCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--topologies", split = ",", defaultValue = "adxl356,vibration",
            description = "Sensor kinds to measure (default: ${DEFAULT-VALUE}).")
    List<String> kinds;

    @Option(names = "--samples", defaultValue = "2000000", description = "Raw samples per run (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        if (samples < 1000 || runs < 1) {
            throw new UsageException("--samples must be at least 1000 and --runs at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("| topology | front-end | model features | window, hop (frames) | ns per raw sample (median) | runs (ns) "
                + "| windows per run | state per device |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (String kind : kinds) {
            SensorKind sensorKind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind);
            FrontEndBench.Result r = FrontEndBench.run(Windower.Shape.of(sensorKind), samples, runs);
            out.printf(Locale.ROOT, "| %s | %s | %d | %d, %d | %.1f | %s | %,d | %,d B |%n", kind,
                    sensorKind.frontEnd().describe(), sensorKind.modelFeatures().size(), sensorKind.window(), sensorKind.hop(),
                    r.median(), Arrays.stream(r.nanosPerSample()).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                            .collect(Collectors.joining(", ")), r.windows(), r.stateBytes());
            out.flush();
        }
        return 0;
    }
}
