package io.vigil.cli;

import io.vigil.ingest.Bridge;
import picocli.CommandLine.Option;

/** {@code --partitions}: how the commands that create their topics when missing (bridge, detect) create them. */
final class TopicPartitionsOption {

    @Option(names = "--partitions", defaultValue = "" + Bridge.Builder.DEFAULT_PARTITIONS, paramLabel = "N",
            description = "Partitions of the topics this command creates when they are missing; 0 creates none"
                    + " (default: ${DEFAULT-VALUE}).")
    int count;
}
