package io.vigil.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.files.TempDirs;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.simulator.Fleet;
import io.vigil.stream.AlertState;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.kind.SensorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Measures what the detector keeps per device: the production topology
 * ({@link DetectorTopology#buildTopology}) runs in a {@link TopologyTestDriver} with its persistent,
 * changelogged RocksDB stores in a fresh state directory; every one of N devices gets one full window
 * of samples, interleaved across devices the way a fleet sends them; then heap after a full GC, RSS,
 * RocksDB's own memory figures, the state directory on disk and the changelog traffic are read.
 *
 * <p>The scorer is a constant stand-in ({@link ConstantScorer}), not the autoencoder: scoring keeps no
 * per-device state, and leaving ND4J out keeps its native buffers out of the RSS figures.
 */
public final class MemoryBench {

    public static final String APPLICATION_ID = "vigil-memory-bench";
    /** Stream and wall time start at the simulator's reproducible start. */
    static final long START_MS = Fleet.REPRODUCIBLE_START_MS;
    /** Records piped between two reads of the output topics, so the driver never holds many. */
    private static final int DRAIN_EVERY = 1_000;
    private static final int PROGRESS_STEPS = 10;
    private static final Serializer<AlertState> ALERT_STATES = AlertState.serde().serializer();

    private MemoryBench() {
    }

    /**
     * What to load.
     *
     * @param devices          devices, each fed one full window of raw samples
     * @param samplesPerRecord raw samples per readings record (per MQTT message)
     * @param overThreshold    every window scores over the threshold, so every device holds an
     *                         {@link AlertState} (the alert store's worst case); else no device does
     */
    public record Settings(int devices, int samplesPerRecord, boolean overThreshold) {
        public Settings {
            if (devices < 1 || samplesPerRecord < 1) {
                throw new IllegalArgumentException("devices and samples per record must be positive, got "
                        + devices + " and " + samplesPerRecord);
            }
        }
    }

    /**
     * One store's contents as serialized: what its compacted changelog holds.
     *
     * @param keyBytes   UTF-8 device ids (or pending-window keys)
     * @param valueBytes values as the store's serde writes them
     */
    public record StoreSize(String store, long entries, long keyBytes, long valueBytes) {
        public long bytes() {
            return keyBytes + valueBytes;
        }
    }

    /**
     * Every file under the state directory.
     *
     * @param flushedBytes   after RocksDB flushed its memtables (older versions of a key may still be on disk)
     * @param compactedBytes after a full compaction (one version per key); -1 when not reached
     * @param flushed        false when the bench could not reach RocksDB: memtables are then not on disk
     */
    public record DiskSize(long flushedBytes, long compactedBytes, boolean flushed) {
    }

    /** Records (tombstones included) and key + value bytes the changelog topics received during the load. */
    public record ChangelogTraffic(long records, long bytes) {
    }

    /**
     * What one load cost.
     *
     * @param windowsScored score events published (one per device: a sanity check on the load)
     * @param memory        heap and RSS after the load minus the same with the empty stores open
     * @param rocksDb       RocksDB's memory after the load, before the flush
     * @param disk          the state directory after RocksDB flushed its memtables, and after compaction
     * @param stores        window, pending and alert stores, scanned after the load
     */
    public record Result(SensorKind kind, Settings settings, double loadSeconds, long windowsScored,
                         ProcessMemory memory, RocksDbMemory rocksDb, DiskSize disk, List<StoreSize> stores,
                         ChangelogTraffic changelog) {

        public int devices() {
            return settings.devices();
        }

        public long heapBytes() {
            return memory.heapBytes();
        }

        /** -1 where the process has no {@code /proc/self/status}. */
        public long rssBytes() {
            return memory.rssBytes();
        }

        public StoreSize store(String name) {
            return stores.stream().filter(s -> s.store().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no store " + name));
        }

        /** Bytes of every store's compacted changelog: one record per live key. */
        public long storeBytes() {
            return stores.stream().mapToLong(StoreSize::bytes).sum();
        }

        public double perDevice(long bytes) {
            return (double) bytes / settings.devices();
        }
    }

    /** Loads {@code settings.devices()} devices into a fresh state directory under {@code tempParent}. */
    public static Result run(SensorKind kind, Settings settings, Path tempParent, Consumer<String> progress)
            throws IOException {
        Path stateDir = Files.createTempDirectory(tempParent, "vigil-bench-memory-");
        try {
            return load(kind, settings, stateDir, progress);
        } finally {
            TempDirs.delete(stateDir);
        }
    }

    private static Result load(SensorKind kind, Settings settings, Path stateDir, Consumer<String> progress) {
        DetectorSettings detector = DetectorSettings.defaults(new SimpleMeterRegistry());
        Topology topology = DetectorTopology.buildTopology(List.of(kind),
                k -> new ConstantScorer(settings.overThreshold()), detector);
        DetectorTopology.Names names = new DetectorTopology.Names(kind.name());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology,
                DetectorTopology.streamsConfig("unused:9092", APPLICATION_ID, stateDir, 1),
                Instant.ofEpochMilli(START_MS))) {
            Outputs outputs = new Outputs(driver, kind, names);
            ProcessMemory empty = ProcessMemory.afterFullGc();
            long started = System.nanoTime();
            feed(driver, kind, settings, outputs, progress);
            driver.advanceWallClockTime(detector.flushInterval()); // the last partial batch is scored
            outputs.drain();
            double seconds = (System.nanoTime() - started) / 1e9;
            ProcessMemory loaded = ProcessMemory.afterFullGc();
            RocksDbMemory rocksDb = RocksDbMemory.of(driver.metrics());
            List<StoreSize> stores = List.of(
                    size(driver, names.windowStore(), v -> ((byte[]) v).length),
                    size(driver, names.pendingStore(), v -> ((byte[]) v).length),
                    size(driver, names.alertStore(), v -> ALERT_STATES.serialize(null, (AlertState) v).length));
            List<RocksDB> handles = stores.stream().map(store -> rocksDbOf(driver.getKeyValueStore(store.store())))
                    .flatMap(Optional::stream).toList();
            DiskSize disk = flushAndCompact(handles, stateDir, stores.size());
            return new Result(kind, settings, seconds, outputs.scores, loaded.minus(empty), rocksDb, disk, stores,
                    new ChangelogTraffic(outputs.changelogRecords, outputs.changelogBytes));
        }
    }

    /**
     * One full window of raw samples per device, {@code samplesPerRecord} to a record, sent round by
     * round across the fleet (every device's first record, then every device's second, ...).
     */
    private static void feed(TopologyTestDriver driver, SensorKind kind, Settings settings, Outputs outputs,
                             Consumer<String> progress) {
        TestInputTopic<String, byte[]> readings = driver.createInputTopic(kind.kafka().readings(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        Serializer<SampleBatch> batches = new SampleBatchSerde().serializer();
        int samples = rawSamplesPerWindow(kind);
        int rounds = (samples + settings.samplesPerRecord() - 1) / settings.samplesPerRecord();
        double periodMs = 1000.0 / kind.sampleRateHz();
        long total = (long) rounds * settings.devices();
        long step = Math.max(1, total / PROGRESS_STEPS);
        long sent = 0;
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            int from = round * settings.samplesPerRecord();
            int to = Math.min(samples, from + settings.samplesPerRecord());
            for (int device = 0; device < settings.devices(); device++) {
                SampleBatch batch = new SampleBatch(START_MS + Math.round(from * periodMs), periodMs,
                        samples(device, from, to, kind.featureCount()));
                readings.pipeInput(deviceId(device), batches.serialize(kind.kafka().readings(), batch), batch.ts());
                if (++sent % DRAIN_EVERY == 0) {
                    outputs.drain();
                }
                if (sent % step == 0 || sent == total) {
                    progress.accept(String.format(Locale.ROOT, "%,d devices: %3d %% (%,d of %,d records, %.1f s)",
                            settings.devices(), 100 * sent / total, sent, total, (System.nanoTime() - started) / 1e9));
                }
            }
        }
    }

    /** Raw samples that fill one window: {@code window} block-reduced samples of {@code block} each. */
    static int rawSamplesPerWindow(SensorKind kind) {
        return kind.window() * kind.preprocess().block();
    }

    static String deviceId(int device) {
        return String.format(Locale.ROOT, "device-%06d", device);
    }

    /** Reproducible noise in [-1, 1): the stores do not compress, so the values do not change a byte. */
    private static double[][] samples(int device, int from, int to, int features) {
        SplittableRandom random = new SplittableRandom(31L * device + from);
        double[][] samples = new double[to - from][features];
        for (double[] sample : samples) {
            Arrays.setAll(sample, f -> random.nextDouble(-1, 1));
        }
        return samples;
    }

    @SuppressWarnings("unchecked")
    private static StoreSize size(TopologyTestDriver driver, String store, ToIntFunction<Object> valueBytes) {
        long entries = 0;
        long keys = 0;
        long values = 0;
        KeyValueStore<String, Object> kv = (KeyValueStore<String, Object>) (KeyValueStore<?, ?>) driver
                .getKeyValueStore(store);
        try (KeyValueIterator<String, Object> all = kv.all()) {
            while (all.hasNext()) {
                KeyValue<String, Object> entry = all.next();
                entries++;
                keys += entry.key.getBytes(StandardCharsets.UTF_8).length;
                values += valueBytes.applyAsInt(entry.value);
            }
        }
        return new StoreSize(store, entries, keys, values);
    }

    /**
     * The RocksDB instance under a store. Kafka Streams writes RocksDB without a write-ahead log and
     * flushes a memtable to disk only when it fills (16 MB) or the store closes, and the test driver
     * deletes the state directory when it closes; so the bench flushes (and then compacts) RocksDB
     * itself, through the store's package-private handle, to see what the state costs on disk.
     * Empty if this Kafka version keeps the handle elsewhere.
     */
    private static Optional<RocksDB> rocksDbOf(KeyValueStore<?, ?> store) {
        RocksDBStore rocks = store instanceof WrappedStateStore<?, ?, ?> wrapped
                ? wrapped.findInner(RocksDBStore.class) : null;
        if (rocks == null) {
            return Optional.empty();
        }
        try {
            Field db = RocksDBStore.class.getDeclaredField("db");
            db.setAccessible(true);
            return Optional.ofNullable((RocksDB) db.get(rocks));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Flushes every store's memtables, then compacts them; the state directory's size after each. */
    private static DiskSize flushAndCompact(List<RocksDB> stores, Path stateDir, int expectedStores) {
        if (stores.size() < expectedStores) {
            return new DiskSize(directorySize(stateDir), -1, false);
        }
        try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            for (RocksDB db : stores) {
                db.flush(wait);
            }
            long flushed = directorySize(stateDir);
            for (RocksDB db : stores) {
                db.compactRange();
            }
            return new DiskSize(flushed, directorySize(stateDir), true);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB flush failed: " + e.getMessage(), e);
        }
    }

    static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a RocksDB file removed while walking (obsolete after a flush)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot size " + dir, e);
        }
    }

    /**
     * Reads every topic the topology writes as raw bytes, so the driver's output queues stay empty
     * (they would otherwise count as state), and adds up what went to the changelogs.
     */
    private static final class Outputs {
        private final TopologyTestDriver driver;
        private final Set<String> changelogs;
        private final String scoreTopic;
        long scores;
        long changelogRecords;
        long changelogBytes;

        Outputs(TopologyTestDriver driver, SensorKind kind, DetectorTopology.Names names) {
            this.driver = driver;
            this.changelogs = Stream.of(names.windowStore(), names.pendingStore(), names.alertStore())
                    .map(store -> DetectorTopology.changelogTopic(APPLICATION_ID, store)).collect(Collectors.toSet());
            this.scoreTopic = kind.kafka().scores();
        }

        /** Reads the topics written so far (the driver warns about reading one it has not seen). */
        void drain() {
            for (String topic : driver.producedTopicNames()) {
                List<TestRecord<byte[], byte[]>> records = driver.createOutputTopic(topic,
                        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
                if (changelogs.contains(topic)) {
                    for (TestRecord<byte[], byte[]> record : records) {
                        changelogRecords++;
                        changelogBytes += record.key().length + (record.value() == null ? 0 : record.value().length);
                    }
                } else if (topic.equals(scoreTopic)) {
                    scores += records.size();
                }
            }
        }
    }

    /**
     * Scores every window 0 (healthy) or twice its threshold (anomalous), at no cost: the point is the
     * state around the model, not the model.
     */
    static final class ConstantScorer implements WindowScorer {
        static final double THRESHOLD = 1.0;
        private final double score;

        ConstantScorer(boolean overThreshold) {
            this.score = overThreshold ? 2 * THRESHOLD : 0;
        }

        @Override
        public List<WindowScore> score(List<Window> windows) {
            return windows.stream().map(w -> {
                double[] shares = new double[w.features()];
                Arrays.fill(shares, 1.0 / w.features());
                return new WindowScore(score, shares);
            }).toList();
        }

        @Override
        public double threshold() {
            return THRESHOLD;
        }

        @Override
        public String modelVersion() {
            return "memory-bench-constant";
        }
    }
}
