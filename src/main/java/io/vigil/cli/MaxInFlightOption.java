package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --max-in-flight}: how far an MQTT publisher (simulate, replay) runs ahead of the broker's acks. */
final class MaxInFlightOption {

    @Option(names = "--max-in-flight", defaultValue = "1000", paramLabel = "N",
            description = "MQTT only: unacknowledged publishes at most; lowered to the broker's receive maximum"
                    + " (default: ${DEFAULT-VALUE}).")
    int count;
}
