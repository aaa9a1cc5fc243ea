package io.vigil.model;

import io.vigil.simulator.Fleet;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.topology.SensorTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A small vibration model trained once on {@code simulator/healthy.yaml} (10 epochs, 1000 windows:
 * about a minute on two cores) and cached under {@code target/}, so integration tests that need a
 * real model share one. {@code mvn clean} retrains it.
 */
public final class TestModels {

    static final Path CACHE = Path.of("target", "test-models");
    static final long SIMULATION_START_MS = 1_700_000_000_000L;

    private TestModels() {
    }

    /** The cached bundle's file, trained first if missing. */
    public static synchronized Path vibration(SensorTopology topology) {
        Path file = CACHE.resolve(topology.kind() + ".zip");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path healthy = ScenarioLoader.DEFAULT_DIR.resolve("healthy.yaml");
        var series = Fleet.of(ScenarioLoader.load(healthy)).generate(SIMULATION_START_MS);
        Trainer.Settings settings = Trainer.Settings.defaults(topology).withEpochs(10).withMaxTrainWindows(1000);
        ModelBundle bundle = new Trainer(topology, settings, Trainer.Progress.NONE).train(series,
                List.of(healthy.toString()));
        try {
            Files.createDirectories(CACHE);
            Path partial = Files.createTempFile(CACHE, topology.kind(), ".zip.partial");
            bundle.save(partial);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
