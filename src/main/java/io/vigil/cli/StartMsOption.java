package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --start-ms}: the event time of the first sample a command generates or replays (simulate, replay csv). */
final class StartMsOption {

    @Option(names = "--start-ms", paramLabel = "EPOCH_MS",
            description = "Time of the first sample (default: now); fix it for byte-identical output.")
    Long epochMs;
}
