package io.vigil.cli;

import picocli.CommandLine.Option;

/**
 * {@code --topology KIND}: the sensor kind a command works on, one wording in two forms. Picocli cannot make one
 * option required in some commands and defaulted in others, so the required form (train, evaluate, replay csv)
 * and the defaulted one (the benchmarks, replay backblaze) are two small classes sharing the text.
 */
final class KindOption {

    private static final String KIND = "Sensor kind (topologies/KIND.yaml) or a topology file";

    @Option(names = "--topology", required = true, paramLabel = "KIND", description = KIND + ".")
    String name;

    /** {@code --topology KIND} with the command's own default kind; no no-argument constructor, so none is forgotten. */
    static final class WithDefault {

        @Option(names = "--topology", paramLabel = "KIND", description = KIND + " (default: ${DEFAULT-VALUE}).")
        String name;

        WithDefault(String kind) {
            this.name = kind;
        }
    }
}
