package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --topology KIND}, required: the sensor kind a command works on (train, evaluate, replay csv). */
final class KindOption {

    @Option(names = "--topology", required = true, paramLabel = "KIND",
            description = "Sensor kind (topologies/KIND.yaml) or a topology file.")
    String name;
}
