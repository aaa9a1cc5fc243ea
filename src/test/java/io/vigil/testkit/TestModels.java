package io.vigil.testkit;

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

/**
 * A small vibration model trained once on {@code simulator/healthy.yaml} (10 epochs, 1000 windows:
 * under a minute on two cores) and cached under {@code target/}, so integration tests that need a
 * real model share one. {@code mvn clean} retrains it.
 */
public final class TestModels {

    static final Path CACHE = Path.of("target", "test-models");
    static final Path HEALTHY_SCENARIO = Path.of("simulator", "healthy.yaml");

    private TestModels() {
    }

    /** The cached bundle's file, trained first if missing. */
    public static synchronized Path vibration(SensorKind kind) {
        Path file = CACHE.resolve(kind.name() + ".zip");
        if (Files.isRegularFile(file)) {
            ModelBundle.load(file).checkCompatible(kind, file);
            return file;
        }
        List<DeviceSeries> healthy = Fleet.of(ScenarioLoader.load(HEALTHY_SCENARIO)).generate(Fleet.REPRODUCIBLE_START_MS);
        Trainer.Settings settings = Trainer.Settings.defaults(kind).withEpochs(10).withMaxTrainWindows(1000);
        ModelBundle bundle = new Trainer(kind, settings, Trainer.Progress.NONE)
                .train(healthy, List.of(HEALTHY_SCENARIO.toString()));
        try {
            Files.createDirectories(CACHE);
            bundle.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache the test model at " + file, e);
        }
        return file;
    }
}
