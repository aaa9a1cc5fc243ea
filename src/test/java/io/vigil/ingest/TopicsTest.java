package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.PayloadParser;
import java.time.Duration;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void whatTheBridgeAcceptsEveryTopicTakesWithRoomForKafkasClockToLag() {
        // Vigil's own topics allow TIMESTAMP_AFTER_MAX; Kafka Streams' changelogs keep the broker default
        Duration kafkaDefault = Duration.ofMillis(ServerLogConfigs.LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS_DEFAULT);
        Duration lagRoom = Duration.ofMinutes(30);

        assertThat(PayloadParser.MAX_CLOCK_AHEAD.plus(lagRoom)).isLessThanOrEqualTo(Topics.TIMESTAMP_AFTER_MAX);
        assertThat(PayloadParser.MAX_CLOCK_AHEAD.plus(lagRoom)).isLessThanOrEqualTo(kafkaDefault);
        assertThat(Topics.CONFIG).containsEntry("message.timestamp.after.max.ms", "3600000");
    }
}
