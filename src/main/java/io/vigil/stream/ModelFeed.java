package io.vigil.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.config.ConfigException;
import io.vigil.model.ModelBundle;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic ({@link ModelTopic}) on a loader thread of its own: each bundle published
 * for a detected kind is checked once — it must load, be of the kind it is keyed by, and fit the kind's
 * features, window and front-end — and then offered to every scoring task ({@link SwitchingScorer}),
 * which switches between two batches. A refused bundle costs one WARN line and one count of
 * {@value #REFUSED}; the running model stays.
 */
public final class ModelFeed implements AutoCloseable {

    /** Counter, tags {@code kind} and {@code reason} ({@code corrupt}, {@code kind}, {@code mismatch}): bundles refused. */
    public static final String REFUSED = "vigil.model.refused";
    /** Counter, tag {@code kind}: bundles accepted from the models topic (live and shadow). */
    public static final String ACCEPTED = "vigil.model.accepted";
    public static final String REASON_CORRUPT = "corrupt";
    public static final String REASON_KIND = "kind";
    public static final String REASON_MISMATCH = "mismatch";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<String, SensorKind> kinds;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, ModelRelease> live = new ConcurrentHashMap<>();
    private final Map<String, ModelRelease> shadow = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> refused = new HashMap<>();
    private final Map<String, Counter> accepted = new HashMap<>();
    private final Map<String, Object> adminConfig;
    private Thread loader;
    private volatile boolean closing;

    /**
     * Creates the models topic when missing and reads it up to its end, so the detector starts on the
     * bundles it holds; {@link #start} then follows it.
     */
    public ModelFeed(String bootstrap, Map<String, Object> clientConfig, String topic, List<SensorKind> kinds,
                     MeterRegistry registry) {
        this.topic = topic;
        this.kinds = kinds.stream().collect(Collectors.toMap(SensorKind::name, Function.identity()));
        for (SensorKind kind : kinds) {
            Map<String, Counter> reasons = new HashMap<>();
            for (String reason : List.of(REASON_CORRUPT, REASON_KIND, REASON_MISMATCH)) {
                reasons.put(reason, Counter.builder(REFUSED).description("model bundles refused from the models topic")
                        .tags("kind", kind.name(), "reason", reason).register(registry));
            }
            refused.put(kind.name(), reasons);
            accepted.put(kind.name(), Counter.builder(ACCEPTED).description("model bundles taken from the models topic")
                    .tags("kind", kind.name()).register(registry));
        }
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.adminConfig = Map.copyOf(config);
        try (Admin admin = Admin.create(config)) {
            ModelTopic.ensure(admin, topic);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: every detector reads it all
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ModelTopic.MAX_BUNDLE_BYTES + 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ModelTopic.MAX_BUNDLE_BYTES + 64 * 1024);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            catchUp(partitions);
        } catch (KafkaException e) {
            consumer.close();
            throw new IllegalStateException("cannot read the models topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private void catchUp(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            consumer.poll(POLL).forEach(this::take);
        }
    }

    /** Starts the loader thread. */
    public ModelFeed start() {
        loader = new Thread(this::follow, "vigil-model-loader");
        loader.setDaemon(true);
        loader.start();
        return this;
    }

    /** The kind's latest accepted live release, or null while it runs the bundle it started with. */
    public ModelRelease live(String kind) {
        return live.get(kind);
    }

    /** The kind's shadow candidate, or null for none. */
    public ModelRelease shadow(String kind) {
        return shadow.get(kind);
    }

    /** A task's scorer for the kind: starts on {@code initial}, then follows this feed. */
    public SwitchingScorer scorer(SensorKind kind, io.vigil.model.WindowScorer initial) {
        String name = kind.name();
        return new SwitchingScorer(name, initial, () -> live(name), () -> shadow(name),
                release -> ModelBundle.fromBytes(release.bundle(), topic + "@" + release.offset()).scorer());
    }

    private void follow() {
        try {
            while (!closing) {
                consumer.poll(POLL).forEach(this::take);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the model loader stopped following {}; the running models stay: {}", topic, e.toString());
        }
    }

    void take(ConsumerRecord<String, byte[]> record) {
        String key = record.key() == null ? "" : record.key();
        boolean isShadow = key.endsWith(ModelTopic.SHADOW_SUFFIX);
        String kindName = isShadow ? key.substring(0, key.length() - ModelTopic.SHADOW_SUFFIX.length()) : key;
        SensorKind kind = kinds.get(kindName);
        if (kind == null) {
            return; // another deployment's kind
        }
        String where = topic + "@" + record.offset();
        if (record.value() == null) {
            if (isShadow && shadow.remove(kindName) != null) {
                LOG.info("kind {}: shadow ended ({})", kindName, where);
            }
            return;
        }
        ModelBundle bundle;
        try {
            bundle = ModelBundle.fromBytes(record.value(), where);
        } catch (ConfigException | IllegalArgumentException e) {
            refuse(kindName, REASON_CORRUPT, e.getMessage());
            return;
        }
        String version = bundle.metadata().version();
        if (!kindName.equals(bundle.metadata().kind())) {
            refuse(kindName, REASON_KIND, where + ": model " + version + " is of kind '" + bundle.metadata().kind()
                    + "', published as '" + kindName + "'");
            return;
        }
        try {
            bundle.checkCompatible(kind, Path.of(where));
        } catch (ConfigException e) {
            refuse(kindName, REASON_MISMATCH, e.getMessage());
            return;
        }
        ModelRelease release = new ModelRelease(record.offset(), version, record.value());
        accepted.get(kindName).increment();
        if (isShadow) {
            if (!shadowTopicExists(kind)) {
                return;
            }
            shadow.put(kindName, release);
            LOG.info("kind {}: model {} scores in shadow ({})", kindName, version, where);
        } else {
            live.put(kindName, release);
            LOG.info("kind {}: model {} goes live at the next batch ({})", kindName, version, where);
        }
    }

    /**
     * Creates the kind's shadow scores topic when missing, with as many partitions as its scores topic: a
     * stream task that wrote to a missing topic would block and then fail its thread.
     */
    private boolean shadowTopicExists(SensorKind kind) {
        String shadowTopic = ModelTopic.shadowScores(kind.kafka().scores());
        try (Admin admin = Admin.create(adminConfig)) {
            int partitions = admin.describeTopics(List.of(kind.kafka().scores())).allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).get(kind.kafka().scores()).partitions().size();
            io.vigil.ingest.Topics.ensure(admin, List.of(shadowTopic), partitions);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("kind {}: no shadow, the topic {} cannot be created: {}", kind.name(), shadowTopic, e.toString());
            return false;
        }
    }

    private void refuse(String kind, String reason, String message) {
        refused.get(kind).get(reason).increment();
        LOG.warn("kind {}: model bundle refused, the running model stays: {}", kind, message);
    }

    @Override
    public void close() {
        closing = true;
        if (loader != null) {
            consumer.wakeup();
            try {
                loader.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close();
    }
}
