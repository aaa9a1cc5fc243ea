package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.internals.CloseOptionsInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failover settings reach the configuration Kafka Streams itself reads: its own, its main consumer's, its producer's. */
class FailoverTest {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");

    @Test
    void everySettingReachesTheStreamsConfig(@TempDir Path dir) {
        // given
        Failover failover = new Failover(2, Duration.ofMillis(7000), 250_000, Duration.ofMinutes(3),
                Duration.ofMillis(4000), true);

        // when
        StreamsConfig config = new StreamsConfig(Detector.builder()
                .bootstrapServers("127.0.0.1:1")
                .kinds(List.of(VIBRATION))
                .instanceId("detector-1")
                .failover(failover)
                .streamsConfig(dir));

        // then
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(config.getLong(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(250_000L);
        assertThat(config.getLong(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)).isEqualTo(180_000L);
        Map<String, Object> consumer = config.getMainConsumerConfigs("vigil-detector", "client", 0);
        assertThat(consumer).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 7000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2333)
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "detector-1-0"); // Streams appends the thread index
        assertThat(config.getProducerConfigs("client")).containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 4000);
    }

    @Test
    void theDefaultsReachTheStreamsConfigInsteadOfKafkaStreamsOwn(@TempDir Path dir) {
        // when
        StreamsConfig config = new StreamsConfig(Detector.builder()
                .bootstrapServers("127.0.0.1:1")
                .kinds(List.of(VIBRATION))
                .streamsConfig(dir));

        // then
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);              // Streams: 0
        assertThat(config.getLong(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(100_000L);   // Streams: 10,000
        assertThat(config.getLong(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)).isEqualTo(60_000L); // Streams: 10 min
        assertThat(config.getMainConsumerConfigs("vigil-detector", "client", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)                         // consumer: 45 s
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2000)
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(config.getProducerConfigs("client"))
                .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 5000);                       // Streams' EOS: 10 s
    }

    @Test
    void aKafkaClientPropertyGivenToTheDetectorStillWins(@TempDir Path dir) {
        // when: VIGIL_KAFKA_SESSION_TIMEOUT_MS=180000, as DetectorRestartIT sets it
        StreamsConfig config = new StreamsConfig(Detector.builder()
                .bootstrapServers("127.0.0.1:1")
                .kinds(List.of(VIBRATION))
                .kafkaClientConfig(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "180000"))
                .streamsConfig(dir));

        // then
        assertThat(config.getMainConsumerConfigs("vigil-detector", "client", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "180000");
    }

    @Test
    void aClosingDetectorLeavesTheGroupOnlyWhenToldTo() {
        // when
        CloseOptionsInternal leave = new CloseOptionsInternal(Detector.closeOptions(true));
        CloseOptionsInternal stay = new CloseOptionsInternal(Detector.closeOptions(false));

        // then
        assertThat(leave.operation()).isEqualTo(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        assertThat(stay.operation()).isEqualTo(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(leave.timeout()).contains(Detector.CLOSE_TIMEOUT);
    }

    @Test
    void aProbingIntervalUnderAMinuteIsRefused() {
        assertThatThrownBy(() -> new Failover(1, Duration.ofSeconds(6), 0, Duration.ofSeconds(30),
                Duration.ofSeconds(5), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probing rebalance interval must be at least 60000 ms, got 30000");
    }
}
