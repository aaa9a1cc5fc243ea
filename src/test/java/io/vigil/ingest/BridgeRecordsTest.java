package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.DeviceIds;
import io.vigil.payload.ParseResult;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.payload.RejectReason;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

class BridgeRecordsTest {

    private static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");

    @Test
    void readingIsKeyedByDeviceAndStampedWithSensorTime() {
        SampleBatch batch = new SampleBatch(1_768_478_400_000L, 10, new double[][] {{1, 2, 3}});

        ProducerRecord<String, byte[]> record = BridgeRecords.reading(VIBRATION, "bearing-1", batch);

        assertThat(record.topic()).isEqualTo("vigil.readings.vibration");
        assertThat(record.key()).isEqualTo("bearing-1");
        assertThat(record.timestamp()).isEqualTo(1_768_478_400_000L);
        assertThat(record.partition()).isNull();
        assertThat(new SampleBatchSerde().deserializer().deserialize(record.topic(), record.value()))
                .usingRecursiveComparison().isEqualTo(batch);
    }

    @Test
    void deadLetterCarriesRawBytesAndReasonHeaders() {
        byte[] raw = {'{', (byte) 0xff};

        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter("vigil.deadletter", "vibration",
                "vigil/vibration/b1", "b1", raw, new Rejected(RejectReason.NOT_UTF8, "payload is not valid UTF-8"));

        assertThat(record.topic()).isEqualTo("vigil.deadletter");
        assertThat(record.key()).isEqualTo("b1");
        assertThat(record.value()).isEqualTo(raw);
        assertThat(headers(record)).containsExactly(
                Map.entry("vigil.reason", "NOT_UTF8"),
                Map.entry("vigil.error", "payload is not valid UTF-8"),
                Map.entry("vigil.mqtt.topic", "vigil/vibration/b1"),
                Map.entry("vigil.kind", "vibration"));
    }

    @Test
    void deadLetterTooLargeForOneRecordKeepsThePayloadsFirstBytesAndItsSize() {
        // given a 5 MB payload and records of at most 64 KiB
        byte[] raw = new byte[5_000_000];
        java.util.Arrays.fill(raw, (byte) 'a');
        int maxRecordBytes = 64 * 1024;

        // when
        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter("vigil.deadletter", "vibration",
                "vigil/vibration/b1", "b1", raw, new Rejected(RejectReason.TOO_LARGE, "payload is 5000000 bytes"),
                maxRecordBytes);

        // then key, value and headers together leave the record overhead's room under the limit
        long headerBytes = 0;
        for (Header h : record.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }
        assertThat(record.key().length() + record.value().length + headerBytes)
                .isEqualTo(maxRecordBytes - BridgeRecords.RECORD_OVERHEAD_BYTES);
        assertThat(record.value()).containsOnly((byte) 'a');
        assertThat(record.timestamp()).as("stamped by the producer's wall clock").isNull();
        assertThat(headers(record)).endsWith(Map.entry("vigil.payload.bytes", "5000000"));
    }

    @Test
    void deadLetterThatFitsIsWholeWithoutASizeHeader() {
        byte[] raw = "{\"ts\": 1}".getBytes(StandardCharsets.UTF_8);

        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter("vigil.deadletter", "vibration",
                "vigil/vibration/b1", "b1", raw, new Rejected(RejectReason.MISSING_FIELD, "missing"), 2048);

        assertThat(record.value()).isEqualTo(raw);
        assertThat(record.headers().lastHeader(BridgeRecords.HEADER_PAYLOAD_BYTES)).isNull();
    }

    @Test
    void deadLetterOfAnInvalidDeviceIdHasNoKey() {
        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter("dl", "vibration", "vigil/vibration/a b",
                "a b", new byte[0], new Rejected(RejectReason.BAD_DEVICE_ID, "bad"));

        assertThat(record.key()).isNull();
    }

    @Test
    void producerWaitsForAllReplicasAndNeverDuplicatesOnRetry() {
        Map<String, Object> config = KafkaForwarder.producerConfig("k:9092", "bridge-1", Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "bridge-1")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0);
    }

    @Test
    void sessionSurvivesTheBridgeAndBoundsInFlight() {
        MqttConnectionOptions options = MqttSession.connectionOptions(Duration.ofHours(1), 500);

        assertThat(options.isCleanStart()).isFalse();
        assertThat(options.getSessionExpiryInterval()).isEqualTo(3600L);
        assertThat(options.getReceiveMaximum()).isEqualTo(500);
        assertThat(options.isAutomaticReconnect()).isTrue();
    }

    @Test
    void topicFiltersRouteByKindAndShareGroups() {
        assertThat(List.of(
                TopicFilters.matches("vigil/vibration/+", "vigil/vibration/b1"),
                TopicFilters.matches("vigil/vibration/+", "vigil/vibration/b1/extra"),
                TopicFilters.matches("vigil/vibration/+", "vigil/drive/b1"),
                TopicFilters.matches("vigil/+/+", "vigil/drive/d1"),
                TopicFilters.matches("vigil/#", "vigil/drive/d1")))
                .containsExactly(true, false, false, true, true);
        assertThat(TopicFilters.subscription("vigil/vibration/+", "bridges"))
                .isEqualTo("$share/bridges/vigil/vibration/+");
        assertThat(TopicFilters.subscription("vigil/vibration/+", null)).isEqualTo("vigil/vibration/+");
        assertThat(DeviceIds.fromTopic("vigil/vibration/bearing-7")).isEqualTo("bearing-7");
    }

    private static List<Map.Entry<String, String>> headers(ProducerRecord<String, byte[]> record) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Header h : record.headers()) {
            out.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
