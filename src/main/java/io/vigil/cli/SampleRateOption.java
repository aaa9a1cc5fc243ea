package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --rate}: the simulated fleet's sampling rate in the benchmarks that run one (pipeline, soak). */
final class SampleRateOption {

    @Option(names = "--rate", defaultValue = "100", paramLabel = "HZ",
            description = "Samples per second per device (default: ${DEFAULT-VALUE}).")
    double hz;
}
