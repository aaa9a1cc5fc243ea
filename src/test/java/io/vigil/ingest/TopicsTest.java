package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.PayloadParser;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void eachTopicIsNamedOnceAndTheBridgeWritesOnlyReadingsAndDeadLetters() {
        // given two kinds that share the alerts and dead-letter topics
        List<SensorKind> kinds = List.of(SensorKindLoader.load(Path.of("topologies/vibration.yaml")),
                SensorKindLoader.load(Path.of("topologies/adxl356.yaml")));

        // when / then
        assertThat(Topics.bridged(kinds)).containsExactly(
                "vigil.readings.vibration", "vigil.deadletter", "vigil.readings.adxl356");
        assertThat(Topics.all(kinds)).containsExactly(
                "vigil.readings.vibration", "vigil.deadletter", "vigil.scores.vibration", "vigil.alerts",
                "vigil.readings.adxl356", "vigil.scores.adxl356");
    }

    @Test
    void topicsAreReplicatedOnEveryBrokerUpToThreeWithOneReplicaAllowedDown() {
        assertThat(Topics.replicationFactor(1)).isEqualTo((short) 1);
        assertThat(Topics.replicationFactor(2)).isEqualTo((short) 2);
        assertThat(Topics.replicationFactor(3)).isEqualTo((short) 3);
        assertThat(Topics.replicationFactor(5)).isEqualTo((short) 3);
        assertThat(Topics.replication(1)).containsEntry("min.insync.replicas", "1");
        assertThat(Topics.replication(2)).containsEntry("min.insync.replicas", "1");
        assertThat(Topics.replication(3)).containsEntry("min.insync.replicas", "2")
                .containsEntry("message.timestamp.after.max.ms", "3600000");
        assertThat(Topics.replication(5)).containsEntry("min.insync.replicas", "2");
    }
}
