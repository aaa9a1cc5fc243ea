package io.vigil.cli;

import io.vigil.evaluate.Charts;
import io.vigil.model.AutoencoderSpec;
import io.vigil.model.BundleMetadata;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil train}: fits an autoencoder on healthy data and saves a model bundle. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        header = "Train an LSTM autoencoder on healthy data and calibrate its alert threshold without labels.",
        description = "Devices whose data carries an anomalous label are left out. Saves one model bundle.",
        footer = {"", "Examples:",
                "  vigil train --topology vibration --data simulator/healthy.yaml",
                "  vigil train --topology adxl356 --data ../shared/data/vibration-adxl356 --epochs 30"})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KindOption kind;

    @Mixin
    TopologiesOption topologies;

    @Mixin
    DataOption data;

    @Option(names = "--out", paramLabel = "FILE", description = "Model bundle to write (default: the topology's model path).")
    Path out;

    @Mixin
    EpochsOption epochs = new EpochsOption(40);

    @Option(names = "--engine", defaultValue = "samediff", description = "samediff (fused LSTM op, fast) or layers (DL4J layer API) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--split", defaultValue = "time", description = "Validation hold-out: time (each device's tail) or device (whole devices) (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--max-windows", defaultValue = "0", description = "Train on a random subset of at most N windows; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxWindows;

    @Option(names = "--hidden", defaultValue = "" + AutoencoderSpec.DEFAULT_HIDDEN, description = "LSTM units in encoder and decoder (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--bottleneck", defaultValue = "" + AutoencoderSpec.DEFAULT_BOTTLENECK, description = "Size of the window summary (default: ${DEFAULT-VALUE}).")
    int bottleneck;

    /** {@code models/adxl356.zip} -> {@code models/adxl356-loss.png}: next to the bundle. */
    static Path lossCurvePath(Path bundle) {
        String name = bundle.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return bundle.resolveSibling(base + "-loss.png");
    }

    @Override
    public Integer call() throws Exception {
        if (!engine.equals("samediff") && !engine.equals("layers")) {
            throw new UsageException("--engine must be samediff or layers, got '" + engine + "'");
        }
        if (!split.equals("time") && !split.equals("device")) {
            throw new UsageException("--split must be time or device, got '" + split + "'");
        }
        if (epochs.max < 1 || hidden < 1 || bottleneck < 1 || maxWindows < 0) {
            throw new UsageException("--epochs, --hidden and --bottleneck must be positive, --max-windows 0 or more");
        }
        SensorKind sensorKind = topologies.load(kind.name);
        Path target = out != null ? out : sensorKind.modelPath();
        PrintWriter log = spec.commandLine().getOut();
        List<DeviceSeries> all = DataSources.read(data.paths, sensorKind);
        List<DeviceSeries> healthy = DataSources.healthyRows(all, sensorKind);
        log.printf(Locale.ROOT, "train: %s, %d devices, %d healthy samples in %d runs (labelled anomalies left out)%n",
                sensorKind.name(), all.size(), healthy.stream().mapToLong(DeviceSeries::size).sum(), healthy.size());
        log.flush();
        Trainer.Settings settings = Trainer.Settings.defaults(sensorKind)
                .withEpochs(epochs.max)
                .withEngine(engine)
                .withSplitByDevice(split.equals("device") || !sensorKind.sources().isEmpty()) // drives: never split by row
                .withMaxTrainWindows(maxWindows)
                .withSpec(new AutoencoderSpec(sensorKind.modelFeatures().size(), sensorKind.window(), hidden, bottleneck,
                        AutoencoderSpec.DEFAULT_LEARNING_RATE, AutoencoderSpec.DEFAULT_SEED));
        ModelBundle bundle;
        try {
            bundle = new Trainer(sensorKind, settings, report -> Console.epoch(log, report))
                    .train(healthy, data.paths.stream().map(Path::toString).toList());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        bundle.save(target);
        BundleMetadata m = bundle.metadata();
        log.printf(Locale.ROOT, "train: saved %s to %s%n", m.version(), target);
        log.printf(Locale.ROOT, "train: %d training / %d validation windows, best epoch %d of %d, %.1f s%n",
                m.training().trainWindows(), m.training().validationWindows(), m.training().bestEpoch(),
                m.training().epochs(), m.training().seconds());
        log.printf(Locale.ROOT, "train: threshold %.5f = q%.1f %.5f + %.1f x (q - median %.5f)%n", m.threshold(),
                100 * m.calibration().quantile(), m.calibration().quantileValue(), m.calibration().margin(),
                m.calibration().median());
        log.println("train: " + Console.explained(m));
        Path png = lossCurvePath(target);
        Charts.lossCurve(png, "Loss per epoch: " + m.version(), m.training().trainLosses(),
                m.training().validationLosses(), m.training().bestEpoch());
        log.printf(Locale.ROOT, "train: loss curve %s%n", png);
        log.flush();
        return 0;
    }
}
