package io.vigil.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.config.ConfigException;
import io.vigil.files.TempDirs;
import io.vigil.ingest.Topics;
import io.vigil.metrics.LiveBoard;
import io.vigil.model.ModelBundle;
import io.vigil.model.WindowScorer;
import io.vigil.security.KafkaClientSecurity;
import io.vigil.kind.SensorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running detector: Kafka Streams on {@link DetectorTopology#buildTopology} for every sensor kind,
 * with its topics, one scorer per task from each kind's model bundle, its handlers (a failed stream
 * thread shuts the client down) and Kafka Streams' metrics. {@code vigil detect}, the demo pipeline
 * and the benchmarks all start it here; {@link #close()} stops it and unbinds its meters.
 */
public final class Detector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);
    /** How long {@link #close()} lets Kafka Streams commit and leave the group. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Path ownStateDir; // a temp folder this detector deletes on close; null for a given one
    private FleetView fleetView; // null when the board is fed by this instance's own processors
    private final boolean leaveGroupOnClose;
    private final CountDownLatch started = new CountDownLatch(1); // RUNNING, ERROR or NOT_RUNNING reached
    private final CountDownLatch stopped = new CountDownLatch(1); // ERROR or NOT_RUNNING reached
    private boolean closed;

    private ModelFeed models; // null: the detector does not follow a models topic

    private Detector(KafkaStreams streams, MeterRegistry registry, Path ownStateDir, boolean leaveGroupOnClose) {
        this.streams = streams;
        this.ownStateDir = ownStateDir;
        this.leaveGroupOnClose = leaveGroupOnClose;
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("detector stream thread failed; shutting the detector down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("detector {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
                    || now == KafkaStreams.State.NOT_RUNNING) {
                started.countDown();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams); // consumer lag, process rates, state stores
        streamsMetrics.bindTo(registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** RUNNING while healthy (REBALANCING in between), ERROR after a stream thread died. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Partitions of {@code topic} whose stream tasks run active here now (empty while rebalancing or stopped). */
    public Set<Integer> activePartitions(String topic) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(topic))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits until the detector runs.
     *
     * @throws IllegalStateException when it is not RUNNING within {@code timeout}
     */
    public Detector awaitRunning(Duration timeout) {
        try {
            if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || state() != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException("detector did not reach RUNNING within " + timeout.toSeconds()
                        + " s (state " + state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the detector", e);
        }
        return this;
    }

    /**
     * Blocks until the detector stops: closed, or shut down after a stream thread failed.
     *
     * @return true when it stopped in ERROR
     */
    public boolean awaitStopped() throws InterruptedException {
        stopped.await();
        return state() == KafkaStreams.State.ERROR;
    }

    /**
     * Stops Kafka Streams (committing, within {@link #CLOSE_TIMEOUT}, and leaving the group when
     * {@link Failover#leaveGroupOnClose} says so), unbinds its meters, deletes a temp state folder.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (fleetView != null) {
            fleetView.close();
        }
        streams.close(closeOptions(leaveGroupOnClose));
        if (models != null) {
            models.close();
        }
        stopped.countDown();
        streamsMetrics.close();
        if (ownStateDir != null) {
            try {
                TempDirs.delete(ownStateDir);
            } catch (IOException e) {
                LOG.warn("Cannot delete the detector's state folder {}: {}", ownStateDir, e.getMessage());
            }
        }
    }

    /**
     * Leaving the group hands this member's partitions over at once; a static member (one with an
     * instance id) otherwise stays in the group until its session times out.
     */
    static CloseOptions closeOptions(boolean leaveGroup) {
        return CloseOptions.groupMembershipOperation(leaveGroup ? GroupMembershipOperation.LEAVE_GROUP
                : GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(CLOSE_TIMEOUT);
    }

    /**
     * One scorer per call (per stream task and kind): a fresh network from the kind's model bundle,
     * so no model instance is shared between threads. Every bundle is loaded and checked once up
     * front, so a missing or mismatched model fails before anything starts.
     *
     * @param files each kind's bundle by kind name; a kind not in it uses its topology's model path
     * @throws ConfigException when a bundle is missing, unreadable or does not fit its kind
     */
    public static Function<SensorKind, WindowScorer> scorers(List<SensorKind> kinds, Map<String, Path> files) {
        for (SensorKind kind : kinds) {
            Path file = files.getOrDefault(kind.name(), kind.modelPath());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("no model bundle for kind '" + kind.name() + "' at " + file
                        + " (create it with 'vigil train --topology " + kind.name() + " --data DATA', which saves there)");
            }
            ModelBundle bundle = ModelBundle.load(file);
            bundle.checkCompatible(kind, file);
            LOG.info("kind {}: model {} (threshold {})", kind.name(), bundle.metadata().version(),
                    bundle.metadata().threshold());
        }
        return kind -> ModelBundle.load(files.getOrDefault(kind.name(), kind.modelPath())).scorer();
    }

    /** Builds and starts a {@link Detector}; every default is here. */
    public static final class Builder {
        private String bootstrapServers;
        private List<SensorKind> kinds = List.of();
        private final Map<String, Path> models = new HashMap<>();
        private String applicationId = DetectorTopology.DEFAULT_APPLICATION_ID;
        private Path stateDir;
        private int streamThreads = 1;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Function<MeterRegistry, DetectorSettings> settings = DetectorSettings::defaults;
        private Map<String, Object> kafkaClientConfig = Map.of();
        private String instanceId;
        private int partitions;
        private boolean fleetView = true;
        private Failover failover = Failover.defaults();
        private Function<SensorKind, WindowScorer> scorers; // once the models are checked
        private String modelsTopic; // null: no roll-out through a models topic

        private Builder() {
        }

        /** Kafka bootstrap servers; required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers);
            return this;
        }

        /** Sensor kinds to detect; each needs a model bundle (default: its topology's model path). */
        public Builder kinds(List<SensorKind> kinds) {
            this.kinds = List.copyOf(kinds);
            this.scorers = null;
            return this;
        }

        /** Score {@code kind} with the bundle in {@code file} instead of its topology's model path. */
        public Builder model(String kind, Path file) {
            models.put(kind, Objects.requireNonNull(file));
            this.scorers = null;
            return this;
        }

        /** Kafka Streams application id: consumer group and changelog prefix. */
        public Builder applicationId(String applicationId) {
            this.applicationId = Objects.requireNonNull(applicationId);
            return this;
        }

        /** Folder of the state stores; default a temporary folder, deleted on close. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** Stream threads; each task owns one model instance. */
        public Builder streamThreads(int threads) {
            this.streamThreads = threads;
            return this;
        }

        /** Where Kafka Streams' meters and (unless {@link #settings} says otherwise) the detector's go. */
        public Builder metrics(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry);
            return this;
        }

        /** Micro-batch settings, given the {@link #metrics} registry (default {@link DetectorSettings#defaults}). */
        public Builder settings(Function<MeterRegistry, DetectorSettings> settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** Kafka client properties (SASL, SSL…) for every client Streams creates and for topic creation. */
        public Builder kafkaClientConfig(Map<String, Object> config) {
            this.kafkaClientConfig = Map.copyOf(config);
            return this;
        }

        /** Static group membership ({@link DetectorTopology#staticMembership}); null or blank for none. */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /** How the group moves partitions when a member dies, stops or joins (default {@link Failover#defaults}). */
        public Builder failover(Failover failover) {
            this.failover = Objects.requireNonNull(failover);
            return this;
        }

        /**
         * Follow this models topic ({@link ModelTopic}): each scoring task starts on the kind's bundle file and
         * switches, between two batches, to every bundle published there that fits the kind, and scores a
         * shadow candidate on the same windows; null (default) for none.
         */
        public Builder followModels(String topic) {
            this.modelsTopic = topic;
            return this;
        }

        /**
         * Whether the settings' board (live page, per-device gauges) shows the whole fleet, read from the
         * scores and alerts topics by a {@link FleetView} (default), or only what this instance's own
         * stream tasks score (false: no extra consumer, as the benchmarks run).
         */
        public Builder fleetView(boolean fleetView) {
            this.fleetView = fleetView;
            return this;
        }

        /**
         * Create the kinds' missing topics ({@link Topics#all}) with this many partitions before
         * starting; 0 (default) or less creates none.
         */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * Loads and checks every kind's model bundle now, so a caller fails before it starts anything
         * else; {@link #start} does it otherwise.
         *
         * @throws ConfigException when a model bundle is missing or does not fit its kind
         */
        public Builder checkModels() {
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("no sensor kinds to detect");
            }
            scorers = scorers(kinds, models);
            return this;
        }

        /** The Kafka Streams properties {@link #start} uses, with the state stores in {@code stateDir}. */
        Properties streamsConfig(Path stateDir) {
            Objects.requireNonNull(bootstrapServers, "bootstrap servers");
            Properties config = DetectorTopology.streamsConfig(bootstrapServers, applicationId, stateDir, streamThreads);
            config.putAll(failover.streamsConfig());
            config.putAll(kafkaClientConfig); // SASL/SSL reach every client Streams creates (consumer, producer, admin)
            if (instanceId != null && !instanceId.isBlank()) {
                config.putAll(DetectorTopology.staticMembership(instanceId));
            }
            return config;
        }

        /**
         * Checks every model bundle (unless {@link #checkModels} did), creates missing topics, then
         * starts Kafka Streams; does not wait for it to run ({@link Detector#awaitRunning}).
         *
         * @throws ConfigException when a model bundle is missing or does not fit its kind
         * @throws IllegalStateException when the topics cannot be listed or created
         */
        public Detector start() {
            Objects.requireNonNull(bootstrapServers, "bootstrap servers");
            if (scorers == null) {
                checkModels();
            }
            if (partitions > 0) {
                Topics.ensure(bootstrapServers, kafkaClientConfig, Topics.all(kinds), partitions);
            }
            ModelFeed feed = null;
            Function<SensorKind, WindowScorer> taskScorers = scorers;
            if (modelsTopic != null) {
                if (partitions > 0) {
                    Topics.ensure(bootstrapServers, kafkaClientConfig, kinds.stream()
                            .map(k -> ModelTopic.shadowScores(k.kafka().scores())).toList(), partitions);
                }
                ModelFeed models = new ModelFeed(bootstrapServers, kafkaClientConfig, modelsTopic, kinds, registry);
                Function<SensorKind, WindowScorer> initial = scorers;
                taskScorers = kind -> models.scorer(kind, initial.apply(kind));
                feed = models;
            }
            Path ownStateDir = stateDir == null ? TempDirs.create("vigil-detector-state-") : null;
            DetectorSettings tuned = settings.apply(registry);
            LiveBoard board = tuned.board();
            if (fleetView) { // the board shows the topics, not this instance's tasks
                tuned = tuned.withBoard(LiveBoard.discarding());
            }
            var topology = DetectorTopology.buildTopology(kinds, taskScorers, tuned);
            Properties config = streamsConfig(stateDir != null ? stateDir : ownStateDir);
            LOG.info("failover: {}", failover);
            LOG.info("Kafka {} client config: {}", bootstrapServers, KafkaClientSecurity.describe(kafkaClientConfig));
            KafkaStreams streams;
            try {
                streams = new KafkaStreams(topology, config);
            } catch (RuntimeException e) {
                TempDirs.deleteQuietly(ownStateDir);
                if (feed != null) {
                    feed.close();
                }
                throw e;
            }
            Detector detector = new Detector(streams, registry, ownStateDir, failover.leaveGroupOnClose());
            detector.models = feed;
            try {
                if (feed != null) {
                    feed.start();
                }
                if (fleetView) {
                    detector.fleetView = FleetView.start(bootstrapServers, kafkaClientConfig, kinds, board);
                }
                streams.start();
            } catch (RuntimeException e) {
                detector.close();
                throw e;
            }
            LOG.info("detecting kinds {}", kinds.stream().map(SensorKind::name).toList());
            return detector;
        }
    }
}
