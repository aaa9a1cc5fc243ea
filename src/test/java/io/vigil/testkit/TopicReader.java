package io.vigil.testkit;


import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Integration-test helper: reads a topic from the beginning, waiting (Awaitility) until enough records
 * match; {@link #committed} reads what an exactly-once consumer sees.
 */
public final class TopicReader {

    private TopicReader() {
    }

    public static List<ConsumerRecord<String, byte[]>> await(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, int expected, Duration atMost) {
        return awaitUntil(bootstrap, topic, filter, matched -> matched.size() >= expected, atMost);
    }

    /**
     * Reads until {@code done} holds for the matching records, e.g. until every distinct reading is
     * there; a count alone is not enough where redelivery duplicates some records.
     */
    public static List<ConsumerRecord<String, byte[]>> awaitUntil(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration atMost) {
        return read(bootstrap, topic, filter, done, atMost, true);
    }

    /**
     * As {@link #awaitUntil}, but when {@code atMost} passes before {@code done} holds it returns what
     * it read instead of failing, so the caller's summary and whole-output assertion show what is missing.
     */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration atMost) {
        return read(bootstrap, topic, filter, done, atMost, false);
    }

    private static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration atMost, boolean failOnTimeout) {
        List<ConsumerRecord<String, byte[]>> matched = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromBeginning(bootstrap, topic, Map.of())) {
            try {
                org.awaitility.Awaitility.await().atMost(atMost).until(() -> {
                    // drain what is there before judging: one poll returns at most max.poll.records, and a
                    // loaded machine runs few evaluations, so reading 64,000 records one poll per check timed out
                    ConsumerRecords<String, byte[]> polled;
                    do {
                        polled = consumer.poll(Duration.ofMillis(200));
                        for (ConsumerRecord<String, byte[]> r : polled) {
                            if (filter.test(r)) {
                                matched.add(r);
                            }
                        }
                    } while (!polled.isEmpty() && !done.test(matched));
                    return done.test(matched);
                });
            } catch (ConditionTimeoutException e) {
                if (failOnTimeout) {
                    throw e;
                }
            }
            // one more poll: anything beyond the expected count (a duplicate) shows up too
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (filter.test(r)) {
                    matched.add(r);
                }
            });
        }
        return matched;
    }

    /**
     * Every committed record of {@code topic}, from the beginning up to each partition's last stable
     * offset as of now ({@code read_committed}: records of aborted transactions are skipped, and an
     * open transaction is waited for, up to {@code atMost}).
     */
    public static List<ConsumerRecord<String, byte[]>> committed(String bootstrap, String topic, Duration atMost) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromBeginning(bootstrap, topic, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            org.awaitility.Awaitility.await().atMost(atMost).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    /** A consumer of every partition of {@code topic}, at the beginning, with {@code extra} client config. */
    private static KafkaConsumer<String, byte[]> fromBeginning(String bootstrap, String topic, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    public static String header(ConsumerRecord<?, ?> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
