package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --speed}: how fast a simulated fleet publishes (simulate, demo). Replays have their own units. */
final class SpeedOption {

    @Option(names = "--speed", defaultValue = "1", paramLabel = "X",
            description = "Simulated seconds per real second when publishing; 0 = as fast as possible"
                    + " (default: ${DEFAULT-VALUE}).")
    double factor;
}
