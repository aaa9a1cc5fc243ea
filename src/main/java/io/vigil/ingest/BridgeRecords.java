package io.vigil.ingest;

import io.vigil.ingest.ParseResult.Rejected;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.topology.SensorTopology;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    public static ProducerRecord<String, byte[]> reading(SensorTopology topology, String deviceId, SampleBatch batch) {
        String topic = topology.kafka().readings();
        return new ProducerRecord<>(topic, null, batch.ts(), deviceId, BATCHES.serialize(topic, batch));
    }

    /**
     * The raw payload, keyed by device id when the id is valid (else null, so a hostile id cannot
     * become a key), stamped with the bridge's time since the payload's own time is not trusted.
     */
    public static ProducerRecord<String, byte[]> deadLetter(String deadLetterTopic, String kind, String mqttTopic,
                                                            String deviceId, byte[] payload, Rejected rejected) {
        String key = DeviceIds.isValid(deviceId) ? deviceId : null;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(deadLetterTopic, key, payload);
        record.headers()
                .add(HEADER_REASON, utf8(rejected.reason().name()))
                .add(HEADER_ERROR, utf8(rejected.message()))
                .add(HEADER_MQTT_TOPIC, utf8(mqttTopic))
                .add(HEADER_KIND, utf8(kind));
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
