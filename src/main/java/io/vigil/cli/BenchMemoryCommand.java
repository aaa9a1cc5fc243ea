package io.vigil.cli;

import ch.qos.logback.classic.Level;
import io.vigil.bench.MemoryBench;
import io.vigil.model.Windower;
import io.vigil.stream.DetectorTopology;
import io.vigil.kind.SensorKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench memory}: heap, native memory, disk and changelog bytes per device, per fleet size. */
@Command(name = "memory",
        mixinStandardHelpOptions = true,
        header = "Measure what each device costs in the detector's state stores, per fleet size.",
        description = {
                "Load N devices into the detector's real state stores and report what each device costs: the",
                "production topology runs in Kafka Streams' TopologyTestDriver with its persistent RocksDB stores in a",
                "temporary state directory; every device gets one full window of samples. Reports, per fleet size,",
                "heap after a full GC and process RSS (minus the same with the empty stores open), RocksDB's own",
                "memory figures, the state directory after a flush, and the changelog bytes. A constant scorer",
                "stands in for the model: scoring keeps no per-device state."},
        footer = {"", "Examples:",
                "  vigil bench memory --devices 1000,10000,100000",
                "  vigil bench memory --topology smart --devices 100000",
                "  vigil bench memory --devices 100000 --over-threshold"})
public final class BenchMemoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N",
            description = "Fleet sizes, one load each, smallest first (default: ${DEFAULT-VALUE}).")
    List<Integer> devices;

    @Mixin
    KindOption.WithDefault kind = new KindOption.WithDefault("vibration");

    @Mixin
    TopologiesOption topologies;

    @Option(names = "--samples-per-record", paramLabel = "S",
            description = "Raw samples per readings record (default: the kind's hop).")
    Integer samplesPerRecord;

    @Option(names = "--over-threshold",
            description = "Score every window over the threshold, so every device holds an alert state (the worst case).")
    boolean overThreshold;

    @Option(names = "--warmup-devices", defaultValue = "1000", paramLabel = "N",
            description = "Devices loaded once first and not reported, so class loading and JIT are not counted (default: ${DEFAULT-VALUE}).")
    int warmupDevices;

    @Option(names = "--temp-dir", paramLabel = "DIR", description = "Where the state directories go (default: the system's temp folder).")
    Path tempDir;

    @Mixin
    VerboseOption verbose; // Kafka Streams' warnings

    @Override
    public Integer call() throws IOException {
        if (devices.stream().anyMatch(n -> n < 1) || (samplesPerRecord != null && samplesPerRecord < 1)
                || warmupDevices < 0) {
            throw new UsageException("--devices and --samples-per-record must be positive, --warmup-devices 0 or more");
        }
        verbose.quiet("org.apache.kafka", Level.ERROR); // TopologyTestDriver warns about its temp state directory on every start
        SensorKind sensorKind = topologies.load(kind.name);
        int perRecord = samplesPerRecord != null ? samplesPerRecord : sensorKind.hop() * sensorKind.preprocess().block();
        Path temp = tempDir != null ? tempDir : Path.of(System.getProperty("java.io.tmpdir"));
        PrintWriter out = spec.commandLine().getOut();
        println(out, header(sensorKind, perRecord));
        if (warmupDevices > 0) {
            println(out, "bench: warm-up with " + warmupDevices + " devices (not reported) ...");
            MemoryBench.run(sensorKind, new MemoryBench.Settings(warmupDevices, perRecord, overThreshold), temp, line -> { });
        }
        List<MemoryBench.Result> results = new ArrayList<>();
        for (int n : devices.stream().sorted().toList()) {
            MemoryBench.Result result = MemoryBench.run(sensorKind, new MemoryBench.Settings(n, perRecord, overThreshold),
                    temp, line -> println(out, "bench:   " + line));
            results.add(result);
            println(out, perDevice(List.of(result)));
        }
        println(out, "");
        println(out, perDevice(results));
        println(out, totals(results));
        if (results.size() > 1) {
            println(out, growth(results));
        }
        println(out, NOTES);
        return 0;
    }

    private String header(SensorKind sensorKind, int perRecord) {
        int ring = new Windower(Windower.Shape.of(sensorKind)).toBytes().length;
        return String.format(Locale.ROOT, "bench memory: %s, %d features, window %d, hop %d; one full window per device,"
                        + " raw samples per record: %d; stored ring %,d bytes; every window scored %s the threshold;"
                        + " %d cores, max heap %d MB, %s",
                sensorKind.name(), sensorKind.featureCount(), sensorKind.window(), sensorKind.hop(), perRecord, ring,
                overThreshold ? "over" : "under",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    /** Bytes per device; the headline table. */
    static String perDevice(List<MemoryBench.Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%s%n%s%n",
                "| devices | load time | heap | RocksDB native | disk after flush | disk compacted"
                        + " | stores = compacted changelogs | changelog written during the load |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"));
        for (MemoryBench.Result r : results) {
            s.append(String.format(Locale.ROOT, "| %,d | %.1f s | %s | %s | %s%s | %s | %s | %s |%n",
                    r.devices(), r.loadSeconds(), bytes(r, r.heapBytes()), bytes(r, r.rocksDb().total()),
                    bytes(r, r.disk().flushedBytes()), r.disk().flushed() ? "" : " (not flushed)",
                    bytes(r, r.disk().compactedBytes()), bytes(r, r.storeBytes()), bytes(r, r.changelog().bytes())));
        }
        s.append("bytes per device\n");
        return s.toString();
    }

    /** Totals behind the per-device figures. */
    static String totals(List<MemoryBench.Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%s%n%s%n",
                "| devices | heap used | heap committed | RSS | RSS outside the heap | memtables | table readers"
                        + " | block cache (capacity) | disk flushed / compacted | window / pending / alert entries"
                        + " | changelog records | scores |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"));
        for (MemoryBench.Result r : results) {
            var names = new DetectorTopology.Names(r.kind().name());
            s.append(String.format(Locale.ROOT,
                    "| %,d | %s | %s | %s | %s | %s | %s | %s (%s) | %s / %s | %,d / %,d / %,d | %,d | %,d |%n",
                    r.devices(), mb(r.heapBytes()), mb(r.memory().heapCommittedBytes()), mb(r.rssBytes()),
                    r.rssBytes() < 0 ? "n/a" : signedMb(r.memory().rssOutsideHeapBytes()), mb(r.rocksDb().memTables()), mb(r.rocksDb().tableReaders()),
                    mb(r.rocksDb().blockCacheUsage()), mb(r.rocksDb().blockCacheCapacity()),
                    mb(r.disk().flushedBytes()), mb(r.disk().compactedBytes()),
                    r.store(names.windowStore()).entries(), r.store(names.pendingStore()).entries(),
                    r.store(names.alertStore()).entries(), r.changelog().records(), r.windowsScored()));
        }
        return s.toString();
    }

    /**
     * What each device added between two fleet sizes: the slope, without what does not grow with the
     * fleet (the record cache, RocksDB's caches once full).
     */
    static String growth(List<MemoryBench.Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%s%n%s%n",
                "| devices | heap | RocksDB native | RSS | disk compacted | stores |",
                "|---|---:|---:|---:|---:|---:|"));
        for (int i = 1; i < results.size(); i++) {
            MemoryBench.Result a = results.get(i - 1);
            MemoryBench.Result b = results.get(i);
            double added = b.devices() - a.devices();
            s.append(String.format(Locale.ROOT, "| %,d -> %,d | %,.0f B | %,.0f B | %s | %,.0f B | %,.0f B |%n",
                    a.devices(), b.devices(), (b.heapBytes() - a.heapBytes()) / added,
                    (b.rocksDb().total() - a.rocksDb().total()) / added,
                    a.rssBytes() < 0 || b.rssBytes() < 0 ? "n/a"
                            : String.format(Locale.ROOT, "%,.0f B", (b.rssBytes() - a.rssBytes()) / added),
                    (b.disk().compactedBytes() - a.disk().compactedBytes()) / added,
                    (b.storeBytes() - a.storeBytes()) / added));
        }
        s.append("bytes per added device\n");
        return s.toString();
    }

    private static final String NOTES = String.format(
            "%nheap: in use after a full GC, minus the same with the empty stores open (committed heap and RSS: the"
                    + " same difference). RocksDB native: memtables + table readers + block cache in use, as RocksDB"
                    + " reports them, all three stores of the one task. RSS outside the heap: RSS minus committed heap;"
                    + " noisy, since the allocator keeps and reuses memory freed by earlier loads in this JVM (RocksDB's"
                    + " own figures are the measure of native memory). disk: every file in the state directory after"
                    + " RocksDB flushed its memtables, and after a full compaction. stores: key + value bytes, i.e. what"
                    + " the changelog topics hold once compacted. changelog written: every record the stores logged"
                    + " during the load (the driver commits after each record: one ring write per record per device).%n");

    private static String bytes(MemoryBench.Result r, long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f B", r.perDevice(bytes));
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }

    /** Negative where RSS grew less than the committed heap (committed pages not yet touched). */
    private static String signedMb(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
