package io.vigil.cli;

import io.vigil.model.AutoencoderSpec;
import io.vigil.bench.ModelBench;
import io.vigil.model.Window;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
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

/** {@code vigil bench model}: windows/s per batch size and seconds per training epoch, per engine. */
@Command(name = "model",
        mixinStandardHelpOptions = true,
        header = "Measure scoring throughput and training time of the java, samediff and layers engines.",
        description = {"Scoring throughput (windows/s) at several batch sizes and training seconds per epoch, on the",
                "same simulated windows, for: java (the scoring engine: the SameDiff graph's forward pass in Java),",
                "samediff (the graph through ND4J, fused lstmLayer) and layers (the DL4J layer API). The last line",
                "compares the engine with the naive path: the layer API, one window per call."},
        footer = {"", "Examples:",
                "  vigil bench model",
                "  vigil bench model --batches 1,32,256,1024 --seconds 5 --engines java,samediff"})
public final class BenchModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KindOption.WithDefault kind = new KindOption.WithDefault("vibration"); // whose window shape is measured

    @Option(names = "--data", defaultValue = "simulator/healthy.yaml", description = "Where the windows come from (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--engines", split = ",", defaultValue = "java,samediff,layers", description = "Engines to measure (default: ${DEFAULT-VALUE}); java does not train.")
    List<String> engines;

    @Option(names = "--batches", split = ",", defaultValue = "1,32,256", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--seconds", defaultValue = "3", description = "Seconds per scoring measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--train-windows", defaultValue = "1500", description = "Windows in the timed training epoch (default: ${DEFAULT-VALUE}).")
    int trainWindows;

    @Override
    public Integer call() {
        for (String engine : engines) {
            if (!ModelBench.SCORING_ENGINES.contains(engine)) {
                throw new UsageException("--engines takes " + String.join(", ", ModelBench.SCORING_ENGINES) + ", got '"
                        + engine + "'");
            }
        }
        SensorKind sensorKind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind.name);
        List<Window> windows = new ArrayList<>();
        for (DeviceSeries series : DataSources.read(List.of(data), sensorKind)) {
            windows.addAll(Windows.cut(series, Windower.Shape.of(sensorKind)));
        }
        AutoencoderSpec shape = AutoencoderSpec.of(sensorKind.modelFeatures().size(), sensorKind.window());
        ModelBench bench = new ModelBench(windows, shape);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench model: %s, %d features x %d steps, hidden %d, bottleneck %d; %d cores, %s, OMP_NUM_THREADS=%s%n",
                sensorKind.name(), shape.features(), shape.window(), shape.hidden(), shape.bottleneck(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        out.println();
        out.println("| engine | batch | windows/s | ms per call |");
        out.println("|---|---:|---:|---:|");
        out.flush();
        List<ModelBench.ScoringResult> results = new ArrayList<>();
        for (String engine : engines) {
            for (int batch : batches) {
                ModelBench.ScoringResult r = bench.scoring(engine, batch, seconds);
                results.add(r);
                out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.2f |%n", r.engine(), r.batch(), r.windowsPerSecond(),
                        r.msPerCall());
                out.flush();
            }
        }
        ModelBench.ScoringResult best = results.stream().filter(r -> r.engine().equals("java"))
                .max(java.util.Comparator.comparingDouble(ModelBench.ScoringResult::windowsPerSecond)).orElse(null);
        ModelBench.ScoringResult naive = results.stream().filter(r -> r.engine().equals("layers") && r.batch() == 1)
                .findFirst().orElse(null);
        if (best != null && naive != null) {
            out.println();
            out.printf(Locale.ROOT, "engine (java, batch %d): %,.0f windows/s = %.0fx the naive per-window path (layers, batch 1: %,.1f windows/s)%n",
                    best.batch(), best.windowsPerSecond(), best.windowsPerSecond() / naive.windowsPerSecond(),
                    naive.windowsPerSecond());
        }
        out.println();
        out.println("| engine | training windows | batch | seconds per epoch |");
        out.println("|---|---:|---:|---:|");
        out.flush();
        for (String engine : engines.stream().filter(ModelBench.TRAINING_ENGINES::contains).toList()) {
            ModelBench.TrainingResult r = bench.training(engine, trainWindows, 64,
                    line -> spec.commandLine().getErr().println("bench model: " + line));
            out.printf(Locale.ROOT, "| %s | %d | %d | %.1f |%n", r.engine(), r.windows(), r.batch(), r.secondsPerEpoch());
            out.flush();
        }
        return 0;
    }
}
