package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

class KnownNoiseFilterTest {

    @Test
    void dropsOnlyTheListedWarningsOfTheListedLoggers() {
        // given a logging context with the filter and an appender that keeps every event
        LoggerContext context = new LoggerContext();
        KnownNoiseFilter filter = new KnownNoiseFilter();
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> kept = new ListAppender<>();
        kept.setContext(context);
        kept.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(kept);

        // when the noise and its near misses are logged
        Logger controller = context.getLogger("org.apache.kafka.controller.QuorumController");
        controller.warn("[QuorumController id=1] Performing controller activation. The metadata log appears to be empty.");
        controller.warn("Performing controller activation. The metadata log appears to be empty.");
        controller.warn("Controller 1 lost leadership");
        context.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory")
                .warn("Using an OS temp directory in the state.dir property can cause failures");
        context.getLogger("org.apache.kafka.clients.NetworkClient")
                .warn("[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that"
                        + " has already been closed.");
        context.getLogger("org.apache.kafka.clients.NetworkClient")
                .warn("Connection to node -1 (localhost/127.0.0.1:9092) could not be established.");
        context.getLogger("io.vigil.pipeline.Pipeline").warn("Performing controller activation. (not Kafka's)");
        controller.error("Performing controller activation. failed");

        // then only the messages that ask something of the user are left
        assertThat(kept.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Controller 1 lost leadership",
                "Connection to node -1 (localhost/127.0.0.1:9092) could not be established.",
                "Performing controller activation. (not Kafka's)",
                "Performing controller activation. failed");
    }
}
