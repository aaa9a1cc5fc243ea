package io.vigil.stream;

import io.vigil.config.ConfigException;
import io.vigil.model.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The models topic: a compacted topic of model bundles, key = sensor kind (the live model) or
 * {@code <kind>/shadow} (a candidate scored in shadow), value = the bundle's zip bytes. Compaction keeps
 * the latest record per key, so a detector that starts reads the bundle each kind runs now.
 * {@code vigil model publish} writes it; every detector follows it ({@link ModelFeed}).
 */
public final class ModelTopic {

    public static final String DEFAULT_TOPIC = "vigil.models";
    /** Largest bundle the topic takes; the tiny test models are ~100 KB, production ones under 2 MB. */
    public static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
    static final String SHADOW_SUFFIX = "/shadow";
    private static final long TIMEOUT_SECONDS = 30;

    private ModelTopic() {
    }

    /** Key of the kind's shadow candidate. */
    public static String shadowKey(String kind) {
        return kind + SHADOW_SUFFIX;
    }

    /** The topic shadow scores of a kind go to: its scores topic with {@code .shadow} appended. */
    public static String shadowScores(String scoresTopic) {
        return scoresTopic + ".shadow";
    }

    /**
     * Creates the models topic when missing: one partition (a total order of roll-outs), compacted, with
     * room for a bundle of {@link #MAX_BUNDLE_BYTES}.
     */
    public static void ensure(Admin admin, String topic) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (existing.contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_BUNDLE_BYTES + 64 * 1024)))))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the models topic " + topic + ": "
                        + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the models topic " + topic + ": no answer in "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the models topic " + topic, e);
        }
    }

    /** What a publish wrote: the kind, the bundle's version, and where. */
    public record Published(String kind, String version, boolean shadow, long offset) {
    }

    /**
     * Checks the bundle loads, then publishes it under its kind; a live publish also ends the kind's
     * shadow (a tombstone on its shadow key), in the same transaction-free, ordered partition.
     *
     * @throws ConfigException when the file is not a loadable bundle or is too large
     */
    public static Published publish(String bootstrap, Map<String, Object> clientConfig, String topic, Path file,
                                    boolean shadow) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the model bundle (" + e.getMessage() + ")");
        }
        if (bytes.length > MAX_BUNDLE_BYTES) {
            throw new ConfigException(file + ": " + bytes.length + " bytes; the models topic takes bundles of "
                    + MAX_BUNDLE_BYTES + " bytes at most");
        }
        ModelBundle bundle = ModelBundle.fromBytes(bytes, file.toString());
        String kind = bundle.metadata().kind();
        try (Admin admin = Admin.create(adminConfig(bootstrap, clientConfig));
             KafkaProducer<String, byte[]> producer = producer(bootstrap, clientConfig)) {
            ensure(admin, topic);
            long offset;
            if (shadow) {
                offset = producer.send(new ProducerRecord<>(topic, shadowKey(kind), bytes)).get().offset();
            } else {
                offset = producer.send(new ProducerRecord<>(topic, kind, bytes)).get().offset();
                producer.send(new ProducerRecord<>(topic, shadowKey(kind), null)).get();
            }
            return new Published(kind, bundle.metadata().version(), shadow, offset);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    /** Ends the kind's shadow: a tombstone on its shadow key. */
    public static void endShadow(String bootstrap, Map<String, Object> clientConfig, String topic, String kind) {
        try (Admin admin = Admin.create(adminConfig(bootstrap, clientConfig));
             KafkaProducer<String, byte[]> producer = producer(bootstrap, clientConfig)) {
            ensure(admin, topic);
            producer.send(new ProducerRecord<>(topic, shadowKey(kind), null)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    /** Writes raw bytes under a key, as a broken or foreign publisher might (tests). */
    static void publishRaw(String bootstrap, String topic, String key, byte[] value) throws Exception {
        try (Admin admin = Admin.create(adminConfig(bootstrap, Map.of()));
             KafkaProducer<String, byte[]> producer = producer(bootstrap, Map.of())) {
            ensure(admin, topic);
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static Map<String, Object> adminConfig(String bootstrap, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BUNDLE_BYTES + 64 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
