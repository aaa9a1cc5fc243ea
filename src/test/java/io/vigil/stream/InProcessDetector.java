package io.vigil.stream;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.metrics.LiveBoard;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Integration-test helper: the detector topology as {@code vigil detect} builds it (exactly-once, Vigil's
 * streams configuration) on a real broker, in this JVM, with its own meter registry and live board, as a
 * separate detector process would have; scored by {@link MeanAbsScorer} with the topology's fixed threshold.
 */
final class InProcessDetector implements AutoCloseable {

    private final KafkaStreams streams;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final LiveBoard board = new LiveBoard(registry, LiveBoard.DEFAULT_DEVICE_CAP);

    private InProcessDetector(String bootstrap, SensorKind kind, String applicationId, Path stateDir) {
        DetectorSettings settings = new DetectorSettings(DetectorSettings.DEFAULT_BATCH_SIZE,
                DetectorSettings.DEFAULT_FLUSH_INTERVAL, registry, board);
        streams = new KafkaStreams(DetectorTopology.buildTopology(List.of(kind),
                k -> new MeanAbsScorer(k.alert().fixedThreshold()), settings),
                DetectorTopology.streamsConfig(bootstrap, applicationId, stateDir, 1));
    }

    /** Started and RUNNING. */
    static InProcessDetector start(String bootstrap, SensorKind kind, String applicationId, Path stateDir) {
        InProcessDetector detector = new InProcessDetector(bootstrap, kind, applicationId, stateDir);
        detector.streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> detector.streams.state() == KafkaStreams.State.RUNNING);
        return detector;
    }

    MeterRegistry registry() {
        return registry;
    }

    LiveBoard board() {
        return board;
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }

    /** Writes readings records as the bridge does: key = device id, record timestamp = the batch's time. */
    static void send(String bootstrap, String topic, List<Map.Entry<String, SampleBatch>> readings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, SampleBatch> producer = new KafkaProducer<>(config, new StringSerializer(),
                new SampleBatchSerde().serializer())) {
            for (Map.Entry<String, SampleBatch> reading : readings) {
                producer.send(new ProducerRecord<>(topic, null, reading.getValue().ts(), reading.getKey(),
                        reading.getValue()));
            }
            producer.flush();
        }
    }
}
