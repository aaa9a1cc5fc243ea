package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --batch-ms}: the sensor time a simulated device packs into one MQTT message (simulate, bench pipeline). */
final class BatchMsOption {

    @Option(names = "--batch-ms", defaultValue = "100", paramLabel = "MS",
            description = "Sensor milliseconds per MQTT message and device (default: ${DEFAULT-VALUE}).")
    int ms;
}
