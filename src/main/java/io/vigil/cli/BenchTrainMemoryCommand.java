package io.vigil.cli;

import io.vigil.bench.TrainMemoryBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench train-memory}: process RSS after every training epoch. */
@Command(name = "train-memory",
        mixinStandardHelpOptions = true,
        header = "Measure the process's memory (RSS) after every training epoch: it must stay flat.",
        description = {
                "Trains the production autoencoder (samediff engine) on a synthetic 8-sensor recording shaped like a",
                "pump test bed (1 Hz, slow cycles and noise) for --epochs epochs with no early stop, and reads VmRSS",
                "from /proc/self/status and the heap in use after every epoch, without forcing a collection.",
                "Writes train-memory.csv (the command, machine and load in its header) and train-memory.png to --out."},
        footer = {"", "Examples:",
                "  vigil bench train-memory --epochs 12",
                "  vigil bench train-memory --epochs 50 --out docs/reports/train-memory"})
public final class BenchTrainMemoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "50", description = "Epochs, all trained (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--devices", defaultValue = "4", description = "Synthetic devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--samples", defaultValue = "2500", description = "Samples per device, 1 Hz (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--window", defaultValue = "64", description = "Window length in samples (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--hop", defaultValue = "1", description = "Samples between window starts (default: ${DEFAULT-VALUE}).")
    int hop;

    @Mixin
    SeedOption seed;

    @Option(names = "--out", defaultValue = "target/train-memory", paramLabel = "DIR",
            description = "Where train-memory.csv and train-memory.png go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        TrainMemoryBench.Settings settings;
        try {
            settings = new TrainMemoryBench.Settings(epochs, devices, samples, window, hop, seed.value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PrintWriter log = spec.commandLine().getOut();
        BenchProvenance provenance = BenchProvenance.of(spec);
        println(log, "bench: " + provenance.command());
        println(log, "bench: " + BenchProvenance.machine() + "; load average " + provenance.loadBefore());
        TrainMemoryBench.Result r = TrainMemoryBench.run(settings, Path.of(System.getProperty("java.io.tmpdir")),
                line -> println(log, "bench: " + line));
        List<TrainMemoryBench.Sample> s = r.samples();
        String summary = String.format(Locale.ROOT,
                "RSS before training %,.0f MB, after epoch 1 %,.0f MB, after epoch %d %,.0f MB, max %,.0f MB;"
                        + " slope over epochs 2-%d %+.2f MB per epoch",
                mb(s.get(0).rssBytes()), mb(s.get(1).rssBytes()), s.get(s.size() - 1).epoch(),
                mb(s.get(s.size() - 1).rssBytes()), mb(r.maxRssBytes()), s.get(s.size() - 1).epoch(),
                r.rssSlopeMbPerEpoch());
        String data = String.format(Locale.ROOT, "data: synthetic, %d devices x %,d samples, %d features, window %d,"
                        + " hop %d: %,d training and %,d validation windows per epoch, batch 64",
                devices, samples, TrainMemoryBench.FEATURES.size(), window, hop, r.trainWindows(), r.validationWindows());
        List<String> header = new ArrayList<>(provenance.header());
        header.add(data);
        header.add(summary);
        TrainMemoryBench.write(r, header, String.format(Locale.ROOT,
                "Training memory: %d epochs, %,d windows per epoch (%s)", epochs, r.trainWindows(), BenchProvenance.cpuModel()), out);
        println(log, "");
        println(log, "bench: " + data);
        println(log, "bench: " + summary);
        println(log, "bench: " + header.get(2));
        println(log, "bench: wrote " + out.resolve("train-memory.csv") + " and " + out.resolve("train-memory.png"));
        return 0;
    }

    private static double mb(long bytes) {
        return bytes / (double) (1 << 20);
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
