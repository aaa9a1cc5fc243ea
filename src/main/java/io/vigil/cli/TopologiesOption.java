package io.vigil.cli;

import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --topologies DIR}: the folder of sensor-kind files, shared by every command that loads kinds from a
 * folder (train, score, detect, bridge, demo and the benchmarks that run the detector). {@code bench frontend}'s
 * {@code --topologies} is another idea (a list of kind names) under the same, documented, name.
 */
final class TopologiesOption {

    @Option(names = "--topologies", defaultValue = "topologies", paramLabel = "DIR",
            description = "Folder of sensor-kind files (KIND.yaml) (default: ${DEFAULT-VALUE}).")
    Path dir;

    /** The kind named {@code kindOrFile}: {@code DIR/KIND.yaml}, or a topology file by its path. */
    SensorKind load(String kindOrFile) {
        return SensorKindLoader.load(dir, kindOrFile);
    }

    /** Every kind in the folder. */
    List<SensorKind> loadAll() {
        return SensorKindLoader.loadAll(dir);
    }
}
