package io.vigil.ingest;

import io.vigil.payload.DeviceIds;
import io.vigil.payload.ParseResult;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.payload.RejectReason;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serializer;

/** The Kafka records the bridge writes: readings, and dead letters with their reason headers. */
public final class BridgeRecords {

    /** Dead-letter header: the {@link RejectReason} name. */
    public static final String HEADER_REASON = "vigil.reason";
    /** Dead-letter header: one human-readable line saying what was wrong. */
    public static final String HEADER_ERROR = "vigil.error";
    /** Dead-letter header: the MQTT topic the payload arrived on. */
    public static final String HEADER_MQTT_TOPIC = "vigil.mqtt.topic";
    /** Dead-letter header: the sensor kind whose filter matched the topic ({@code unknown} if none). */
    public static final String HEADER_KIND = "vigil.kind";
    /**
     * Dead-letter header, present only when the value holds the payload's first bytes rather than all
     * of it (a payload too large for one Kafka record): the payload's full size in bytes.
     */
    public static final String HEADER_PAYLOAD_BYTES = "vigil.payload.bytes";

    private static final Serializer<SampleBatch> BATCHES = new SampleBatchSerde().serializer();

    private BridgeRecords() {
    }

    /** Key = device id, timestamp = sensor time of the first sample, value = the batch as JSON. */
    public static ProducerRecord<String, byte[]> reading(SensorKind sensorKind, String deviceId, SampleBatch batch) {
        String topic = sensorKind.kafka().readings();
        return new ProducerRecord<>(topic, null, batch.ts(), deviceId, BATCHES.serialize(topic, batch));
    }

    /**
     * Room a record takes beyond its key, value and headers: Kafka's batch header (61 bytes) and the
     * record's own varints and attributes (a few dozen), rounded up generously.
     */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    /**
     * The raw payload, keyed by device id when the id is valid (else null, so a hostile id cannot
     * become a key), stamped with the bridge's time since the payload's own time is not trusted.
     */
    public static ProducerRecord<String, byte[]> deadLetter(String deadLetterTopic, String kind, String mqttTopic,
                                                            String deviceId, byte[] payload, Rejected rejected) {
        return deadLetter(deadLetterTopic, kind, mqttTopic, deviceId, payload, rejected, Integer.MAX_VALUE);
    }

    /**
     * As above, in at most {@code maxRecordBytes} (what Kafka takes in one record: the producer's
     * {@code max.request.size}): a payload that does not fit is cut to its first bytes, and the
     * {@link #HEADER_PAYLOAD_BYTES} header says how long it was. A dead letter must always fit, or the
     * message it stands for would be refused again and again.
     */
    public static ProducerRecord<String, byte[]> deadLetter(String deadLetterTopic, String kind, String mqttTopic,
                                                            String deviceId, byte[] payload, Rejected rejected,
                                                            int maxRecordBytes) {
        String key = DeviceIds.isValid(deviceId) ? deviceId : null;
        List<Header> headers = new ArrayList<>(List.of(
                new RecordHeader(HEADER_REASON, utf8(rejected.reason().name())),
                new RecordHeader(HEADER_ERROR, utf8(rejected.message())),
                new RecordHeader(HEADER_MQTT_TOPIC, utf8(mqttTopic)),
                new RecordHeader(HEADER_KIND, utf8(kind))));
        byte[] value = payload;
        long room = (long) maxRecordBytes - RECORD_OVERHEAD_BYTES - (key == null ? 0 : utf8(key).length) - size(headers);
        if (payload.length > room) {
            byte[] fullSize = utf8(Integer.toString(payload.length));
            headers.add(new RecordHeader(HEADER_PAYLOAD_BYTES, fullSize));
            room -= HEADER_PAYLOAD_BYTES.length() + fullSize.length;
            value = Arrays.copyOf(payload, (int) Math.max(0, room));
        }
        // null timestamp: the producer stamps it with the wall clock at each send, never a sensor's time
        return new ProducerRecord<>(deadLetterTopic, null, null, key, value, headers);
    }

    private static long size(List<Header> headers) {
        long bytes = 0;
        for (Header h : headers) {
            bytes += h.key().length() + h.value().length;
        }
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
