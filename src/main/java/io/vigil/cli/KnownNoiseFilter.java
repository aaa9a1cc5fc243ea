package io.vigil.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the few library warnings that every healthy run prints and that ask nothing of the user
 * (installed from {@code logback.xml}). Each entry names the logger, a fragment of the message and why
 * it is noise; every other message of these loggers still shows.
 */
public final class KnownNoiseFilter extends TurboFilter {

    private record Noise(String logger, String messageFragment) {
    }

    private static final List<Noise> NOISE = List.of(
            // An embedded broker always starts on an empty metadata log: that is how KRaft formats it.
            new Noise("org.apache.kafka.controller.QuorumController", "Performing controller activation."),
            // The demo, benchmarks and tests keep throwaway detector state in a temporary folder on purpose.
            new Noise("org.apache.kafka.streams.processor.internals.StateDirectory",
                    "Using an OS temp directory in the state.dir property"),
            // Printed by the embedded broker's own shutdown sequence, which closes this client twice.
            new Noise("org.apache.kafka.clients.NetworkClient",
                    "Attempting to close NetworkClient that has already been closed"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format == null || level == null || level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        for (Noise noise : NOISE) {
            if (noise.logger().equals(logger.getName()) && format.contains(noise.messageFragment())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
