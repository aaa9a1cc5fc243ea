package io.vigil.stream;

import io.vigil.config.ConfigException;
import io.vigil.model.DeviceCalibration;
import io.vigil.model.WindowScorer;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the detector: per sensor kind, readings → {@link WindowingProcessor} (per-device windows,
 * micro-batched scoring) → score events, and → {@link AlertProcessor} → alert events; unreadable
 * readings → dead-letter topic. Topic names come from the kind's topology file; node and store names
 * are derived in {@link Names}, and nowhere else.
 *
 * <p>Poison pills: the readings source deserializes values as raw bytes and {@link ReadingParser}
 * parses them inside the processor, so a bad record becomes a dead-letter record with a
 * {@value #REASON_HEADER} header and the stream carries on (no DeserializationExceptionHandler
 * involved).
 */
public final class DetectorTopology {

    /** Dead-letter header: why the record was rejected, {@code <reason-tag>: <detail>}. */
    public static final String REASON_HEADER = "vigil.reason";
    /** Dead-letter header: the topic the rejected record was read from. */
    public static final String SOURCE_TOPIC_HEADER = "vigil.source.topic";
    public static final String DEFAULT_APPLICATION_ID = "vigil-detector";

    private DetectorTopology() {
    }

    /** Node and store names of one sensor kind. Changelogs are {@code <appId>-<store>-changelog}. */
    public record Names(String kind) {
        public String source() {
            return "readings-" + kind;
        }

        public String windowing() {
            return "windowing-" + kind;
        }

        public String alerting() {
            return "alerting-" + kind;
        }

        public String scoresSink() {
            return "scores-" + kind;
        }

        public String alertsSink() {
            return "alerts-" + kind;
        }

        /** Scores of the shadow candidate ({@link ModelTopic#shadowScores}); only written while one runs. */
        public String shadowScoresSink() {
            return "shadow-scores-" + kind;
        }

        public String deadLetterSink() {
            return "dead-letter-" + kind;
        }

        /** Device id → serialized {@link io.vigil.model.Windower}. */
        public String windowStore() {
            return "vigil-windows-" + kind;
        }

        /** {@link PendingWindow#key()} → windows cut but not yet scored. */
        public String pendingStore() {
            return "vigil-pending-" + kind;
        }

        /** Device id → {@link AlertState} (absent when the device is idle). */
        public String alertStore() {
            return "vigil-alert-state-" + kind;
        }

        /** Device id → {@link io.vigil.model.DeviceCalibration.State}; only for kinds with {@code alert.calibrate}. */
        public String calibrationStore() {
            return "vigil-calibration-" + kind;
        }
    }

    /** The changelog topic Kafka Streams keeps for a store of this application. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /**
     * The detector topology for the given sensor kinds.
     *
     * @param scorers called once per stream task and kind (lazily, in the processor's init): each
     *                task owns its model instance, so a model is only ever used by one thread
     */
    public static Topology buildTopology(List<SensorKind> kinds, Function<SensorKind, WindowScorer> scorers,
                                         DetectorSettings settings) {
        if (kinds.isEmpty()) {
            throw new ConfigException("no sensor kinds to detect: the topologies folder holds no *.yaml file");
        }
        DetectorMetrics metrics = new DetectorMetrics(settings.registry(), settings.board());
        Topology topology = new Topology();
        Set<String> readingsTopics = new HashSet<>();
        for (SensorKind kind : kinds) {
            if (!readingsTopics.add(kind.kafka().readings())) {
                throw new ConfigException("topology '" + kind.name() + "': field 'kafka.readings': expected a topic no"
                        + " other kind reads, got '" + kind.kafka().readings() + "'");
            }
            addKind(topology, kind, scorers, settings, metrics.forKind(kind.name()));
        }
        return topology;
    }

    private static void addKind(Topology topology, SensorKind kind, Function<SensorKind, WindowScorer> scorers,
                                DetectorSettings settings, DetectorMetrics.Kind meters) {
        Names names = new Names(kind.name());
        topology.addSource(names.source(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                kind.kafka().readings());
        topology.addProcessor(names.windowing(),
                () -> new WindowingProcessor(kind, () -> scorers.apply(kind), settings, meters), names.source());
        topology.addProcessor(names.alerting(), () -> new AlertProcessor(kind, meters), names.windowing());
        topology.addSink(names.scoresSink(), kind.kafka().scores(), Serdes.String().serializer(),
                ScoreEvent.serde().serializer(), names.windowing());
        topology.addSink(names.shadowScoresSink(), ModelTopic.shadowScores(kind.kafka().scores()),
                Serdes.String().serializer(), ScoreEvent.serde().serializer(), names.windowing());
        topology.addSink(names.deadLetterSink(), kind.kafka().deadLetter(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), names.windowing());
        topology.addSink(names.alertsSink(), kind.kafka().alerts(), Serdes.String().serializer(),
                AlertEvent.serde().serializer(), names.alerting());
        // Cached stores: a device's ring is rewritten by every record, but logged once per commit, and a
        // window cut and scored within one commit interval costs only a tombstone in the changelog.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.windowStore()),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), names.windowing());
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.pendingStore()),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), names.windowing());
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.alertStore()),
                Serdes.String(), AlertState.serde()).withCachingEnabled(), names.alerting());
        if (kind.alert().calibrate() != null) {
            // each device's own normal, changelogged like the windows, so a restart keeps its threshold
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.calibrationStore()),
                    Serdes.String(), new JsonSerde<>(DeviceCalibration.State.class)).withCachingEnabled(),
                    names.windowing());
        }
    }

    /**
     * Static membership (KIP-345) for the stream threads' consumers: Streams appends each thread's index
     * to {@code instanceId}. A member that comes back with the same id before its session times out
     * gets its partitions back without a rebalance, so a restarted detector resumes at once; with
     * exactly-once its state folder also keeps its transactional ids, so the killed instance's open
     * transaction is aborted at once too.
     */
    public static Map<String, Object> staticMembership(String instanceId) {
        return Map.of(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
    }

    /**
     * Streams configuration: exactly-once (v2), so the window state, the pending windows and the
     * published scores and alerts of one commit are all-or-nothing; state is restored from the
     * changelogs after a restart.
     */
    public static Properties streamsConfig(String bootstrap, String applicationId, Path stateDir, int streamThreads) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100); // ms: also the latency floor of a published score
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        // No global stores here; opting in now is what Kafka 5 will do anyway, and it silences a warning.
        // The partition assignor builds a second StreamsConfig from the main consumer's settings alone, and
        // warns again unless the option is there too.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        return props;
    }
}
