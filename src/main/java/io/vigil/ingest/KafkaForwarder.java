package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.payload.RejectReason;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's Kafka side: sends each record until Kafka takes it. A record Kafka did not take is sent
 * again with back-off ({@link #RETRY_FIRST} doubling up to {@link #RETRY_MAX}), its message holding its
 * in-flight slot meanwhile; a record Kafka refuses for a fault of its own ({@link #recordFault}) goes to
 * its {@link Refusal} instead. While Kafka refuses records, at most one log line per
 * {@link #FAILURE_LOG_INTERVAL} says how many.
 */
final class KafkaForwarder implements AutoCloseable {

    /** The bridge's logger: operators filter the bridge's lines by it, whichever part of it writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Wait before sending again a record Kafka did not take; doubles per attempt up to {@link #RETRY_MAX}. */
    static final Duration RETRY_FIRST = Duration.ofMillis(500);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** At most one log line per this interval while Kafka refuses records (an outage fails a thousand at once). */
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(5);
    /** How long {@link #close} waits for Kafka to acknowledge what the bridge holds. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Kafka's default {@code max.request.size}. */
    private static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    /** What to do when Kafka refuses a record for a fault of its own; false to send it again like any failure. */
    interface Refusal {
        boolean handle(RejectReason reason, Exception error);
    }

    /**
     * One record on its way to Kafka: the kind it counts under, what to do once Kafka has it (acknowledge
     * its MQTT message, count it), and what to do if Kafka refuses it for good.
     */
    record Forward(ProducerRecord<String, byte[]> record, BridgeMetrics.Kind meters, Runnable delivered,
                   Refusal refusal) {
    }

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    /** The producer's {@code max.request.size}: the most one record may take, so a dead letter is cut to fit it. */
    private final int maxRecordBytes;
    /** Called for a record given up unsent because the bridge is closing; its MQTT message stays unacknowledged. */
    private final Runnable abandoned;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bridge-kafka-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong failuresSinceLog = new AtomicLong();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL.toNanos());
    private volatile boolean closing;

    KafkaForwarder(Map<String, Object> producerConfig, MeterRegistry registry, Runnable abandoned) {
        this.maxRecordBytes = Integer.parseInt(String.valueOf(producerConfig.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_BYTES)));
        this.abandoned = abandoned;
        this.producer = new KafkaProducer<>(producerConfig);
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    /**
     * Producer settings: nothing is acknowledged upstream until every in-sync replica has the record
     * ({@code acks=all}), retries never duplicate or reorder within a partition (idempotence), and a
     * record never expires while Kafka is unreachable.
     */
    static Map<String, Object> producerConfig(String bootstrapServers, String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence allows
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5); // ms; batches a burst of small readings per partition
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024); // bytes
        // ms: a record waits, in order, for as long as Kafka is away; what waits is bounded by the MQTT
        // receive maximum (unacknowledged messages), not by time. Kafka's default (2 min) expires records
        // during a longer outage, and re-sending them then reorders a device's readings.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putAll(overrides);
        return config;
    }

    int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The reason a record Kafka refused is at fault itself, so that sending it again cannot help; null
     * for everything else (Kafka away, missing rights, a record failed only because a batch-mate was
     * invalid), which is sent again: fixing Kafka lets those through, in order.
     */
    static RejectReason recordFault(Exception error) {
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return RejectReason.TOO_LARGE;
        }
        if (error instanceof InvalidTimestampException) {
            return RejectReason.BAD_TIMESTAMP;
        }
        if (error instanceof InvalidRecordException) {
            return RejectReason.KAFKA_REFUSED;
        }
        return null;
    }

    void send(Forward forward) {
        send(forward, 0);
    }

    private void send(Forward forward, int attempt) {
        if (closing) {
            abandoned.run();
            return;
        }
        try {
            producer.send(forward.record(), (metadata, error) -> {
                if (error == null) {
                    forward.delivered().run();
                    return;
                }
                RejectReason fault = recordFault(error);
                if (fault == null) {
                    sendAgainLater(forward, attempt, error);
                    return;
                }
                // Off the producer's I/O thread: a send from its callback blocks that thread for as long
                // as the dead-letter topic's metadata is unknown, and only that thread can fetch it.
                try {
                    retries.execute(() -> {
                        if (!forward.refusal().handle(fault, error)) {
                            sendAgainLater(forward, attempt, error);
                        }
                    });
                } catch (RejectedExecutionException closed) {
                    abandoned.run();
                }
            });
        } catch (RuntimeException e) { // closed producer, buffer full past max.block.ms: not acknowledged
            sendAgainLater(forward, attempt, e);
        }
    }

    /**
     * Kafka did not take a record. Its MQTT message stays unacknowledged, holding one slot of the
     * receive maximum (back-pressure), and the record is sent again after a back-off. Reconnecting to
     * MQTT to get the message redelivered instead would only hand the bridge the same message again.
     */
    private void sendAgainLater(Forward forward, int attempt, Exception error) {
        forward.meters().kafkaFailure();
        logFailure(forward.record().topic(), error);
        long wait = Math.min(RETRY_MAX.toMillis(), RETRY_FIRST.toMillis() << Math.min(attempt, 16));
        try {
            retries.schedule(() -> send(forward, attempt + 1), wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            abandoned.run();
        }
    }

    private void logFailure(String topic, Exception error) {
        long failures = failuresSinceLog.incrementAndGet();
        long last = lastFailureLog.get();
        long now = System.nanoTime();
        if (now - last >= FAILURE_LOG_INTERVAL.toNanos() && lastFailureLog.compareAndSet(last, now)) {
            failuresSinceLog.addAndGet(-failures);
            LOG.warn("Kafka did not accept {} record(s) in the last {} s ({}: {}); their MQTT messages stay"
                            + " unacknowledged and the records are sent again with back-off", failures,
                    FAILURE_LOG_INTERVAL.toSeconds(), topic, error.getMessage());
        }
    }

    /**
     * Stops sending, waits up to 10 s for Kafka to acknowledge what the producer holds (their delivered
     * callbacks run meanwhile), and gives up the records waiting for a retry.
     */
    @Override
    public void close() {
        closing = true;
        producerMetrics.close();
        try {
            producer.close(CLOSE_TIMEOUT); // flushes; callbacks acknowledge to MQTT while still connected
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer close failed: {}", e.getMessage());
        }
        retries.shutdownNow().forEach(pending -> abandoned.run());
    }
}
