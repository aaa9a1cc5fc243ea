package io.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --threads}: the detector's Kafka Streams threads, in {@code detect} and {@code bench pipeline}. */
final class StreamThreadsOption {

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Detector stream threads; each task owns one model instance (default: ${DEFAULT-VALUE}).")
    int count;
}
