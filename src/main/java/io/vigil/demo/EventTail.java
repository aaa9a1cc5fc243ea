package io.vigil.demo;

import io.vigil.stream.AlertEvent;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the scores and alerts topics of some sensor kinds on a thread of its own and hands every
 * event to a {@link Listener}. Reads committed records only, so an event is seen when any consumer
 * of the exactly-once detector could see it. No consumer group: partitions are assigned directly,
 * which avoids a group join and commits nothing.
 */
public final class EventTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Receives events on the tail's thread. */
    public interface Listener {
        /** @param receivedMs wall-clock time the event was polled, epoch ms */
        void score(ScoreEvent event, long receivedMs);

        void alert(AlertEvent event);
    }

    /** Where to start reading. */
    public enum From { BEGINNING, END }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> alertTopics;
    private final Listener listener;
    private final Thread thread;
    private final Deserializer<ScoreEvent> scores = ScoreEvent.serde().deserializer();
    private final Deserializer<AlertEvent> alerts = AlertEvent.serde().deserializer();

    private EventTail(KafkaConsumer<String, byte[]> consumer, Set<String> alertTopics, Listener listener) {
        this.consumer = consumer;
        this.alertTopics = alertTopics;
        this.listener = listener;
        this.thread = new Thread(this::run, "vigil-event-tail");
        this.thread.setDaemon(true);
    }

    /** Assigns every partition of the kinds' scores and alerts topics (which must exist) and starts polling. */
    public static EventTail start(String bootstrap, List<SensorKind> kinds, From from, Listener listener) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "vigil-event-tail",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        Set<String> alertTopics = kinds.stream().map(k -> k.kafka().alerts()).collect(Collectors.toSet());
        List<TopicPartition> partitions = new ArrayList<>();
        kinds.stream().flatMap(k -> java.util.stream.Stream.of(k.kafka().scores(), k.kafka().alerts())).distinct()
                .forEach(topic -> consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        consumer.assign(partitions);
        if (from == From.BEGINNING) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve "end" now, not at the first poll
        }
        EventTail tail = new EventTail(consumer, alertTopics, listener);
        tail.thread.start();
        return tail;
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    dispatch(record, System.currentTimeMillis());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("Event tail stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record, long receivedMs) {
        if (record.value() == null) {
            return;
        }
        try {
            if (alertTopics.contains(record.topic())) {
                listener.alert(alerts.deserialize(record.topic(), record.value()));
            } else {
                listener.score(scores.deserialize(record.topic(), record.value()), receivedMs);
            }
        } catch (RuntimeException e) {
            LOG.warn("Skipped an unreadable event on {}: {}", record.topic(), e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
