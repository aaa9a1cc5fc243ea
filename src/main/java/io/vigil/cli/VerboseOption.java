package io.vigil.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --verbose}: the commands that print their own progress (demo, benchmarks) quiet the logs that would
 * bury it; this flag keeps them.
 */
final class VerboseOption {

    @Option(names = "--verbose", description = "Show on stderr the logs this command hides by default.")
    boolean on;

    /** Raises {@code logger} to {@code level} unless {@code --verbose}. */
    void quiet(String logger, Level level) {
        if (!on && LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(level);
        }
    }
}
