package io.vigil.publish;

import io.vigil.reading.DeviceSeries;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Readings straight onto a readings topic, as the bridge would write them: key = device id, value =
 * {@link SampleBatch} JSON, record timestamp = the first sample's time.
 */
public final class KafkaReadingSink implements ReadingSink {

    private final KafkaProducer<String, SampleBatch> producer;
    private final String topic;
    private final double periodMs;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param rateHz sample rate of the readings (the topology's), for the batch period */
    public KafkaReadingSink(String bootstrapServers, String topic, double rateHz, String clientId) {
        this(bootstrapServers, topic, rateHz, clientId, Map.of());
    }

    /** @param clientConfig Kafka client properties (SASL, SSL…), see {@link io.vigil.security.KafkaClientSecurity} */
    public KafkaReadingSink(String bootstrapServers, String topic, double rateHz, String clientId,
                            Map<String, Object> clientConfig) {
        this.topic = topic;
        this.periodMs = 1000.0 / rateHz;
        Serializer<SampleBatch> values = new SampleBatchSerde().serializer();
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,   // retries never duplicate or reorder a drive's days
                ProducerConfig.LINGER_MS_CONFIG, 20,               // ms; fills batches during a fast replay
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));    // bytes
        this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    @Override
    public void send(DeviceSeries series, int from, int to) throws Exception {
        Exception failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        long ts = series.ts()[from];
        SampleBatch batch = new SampleBatch(ts, periodMs, Arrays.copyOfRange(series.values(), from, to));
        producer.send(new ProducerRecord<>(topic, null, ts, series.device(), batch), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    @Override
    public void finish() throws Exception {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
