package io.vigil.pipeline;

import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.kind.SensorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A model bundle that is trained once and then reused: {@link #ensure} returns the bundle file,
 * training it on a healthy simulator scenario first when the file is missing.
 */
public final class ModelCache {

    /** The healthy fleet the demo's model learns "normal" from. */
    public static final Path HEALTHY_SCENARIO = Path.of("simulator", "healthy.yaml");

    private ModelCache() {
    }

    /** The demo's training budget: about a minute on two idle cores, enough for sudden faults. */
    public static Trainer.Settings demoSettings(SensorKind kind) {
        return Trainer.Settings.defaults(kind)
                .withEpochs(15)
                .withMaxTrainWindows(1500);
    }

    /**
     * The bundle at {@code file}, trained on {@code healthyScenario} and saved there first if it does
     * not exist yet.
     *
     * @param steps receives one line when the cached model is used, or before and after training
     */
    public static Path ensure(SensorKind kind, Path file, Path healthyScenario, Trainer.Settings settings,
                              Trainer.Progress progress, Consumer<String> steps) {
        if (Files.isRegularFile(file)) {
            ModelBundle cached = ModelBundle.load(file);
            cached.checkCompatible(kind, file);
            steps.accept("Model: " + file + " (" + cached.metadata().version() + ", threshold "
                    + String.format(Locale.ROOT, "%.5f", cached.metadata().threshold()) + ")");
            return file;
        }
        List<DeviceSeries> healthy = Fleet.of(ScenarioLoader.load(healthyScenario)).generate(Fleet.REPRODUCIBLE_START_MS);
        steps.accept(String.format(Locale.ROOT, "Model: none at %s; training on %s (%d devices, %d samples, up to %d epochs)",
                file, healthyScenario, healthy.size(), healthy.stream().mapToLong(DeviceSeries::size).sum(),
                settings.maxEpochs()));
        long began = System.nanoTime();
        ModelBundle bundle = new Trainer(kind, settings, progress).train(healthy, List.of(healthyScenario.toString()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            bundle.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model bundle to " + file, e);
        }
        steps.accept(String.format(Locale.ROOT, "Model: trained %s in %.0f s (threshold %.5f), cached at %s",
                bundle.metadata().version(), (System.nanoTime() - began) / 1e9, bundle.metadata().threshold(), file));
        return file;
    }
}
