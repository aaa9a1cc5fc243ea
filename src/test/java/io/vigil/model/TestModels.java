package io.vigil.model;

import io.vigil.pipeline.ModelCache;
import io.vigil.topology.SensorTopology;
import java.nio.file.Path;

/**
 * A small vibration model trained once on {@code simulator/healthy.yaml} (10 epochs, 1000 windows:
 * under a minute on two cores) and cached under {@code target/}, so integration tests that need a
 * real model share one. {@code mvn clean} retrains it.
 */
public final class TestModels {

    static final Path CACHE = Path.of("target", "test-models");

    private TestModels() {
    }

    /** The cached bundle's file, trained first if missing. */
    public static synchronized Path vibration(SensorTopology topology) {
        Trainer.Settings settings = Trainer.Settings.defaults(topology).withEpochs(10).withMaxTrainWindows(1000);
        return ModelCache.ensure(topology, CACHE.resolve(topology.kind() + ".zip"), ModelCache.HEALTHY_SCENARIO,
                settings, Trainer.Progress.NONE, line -> { });
    }
}
