package io.vigil.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.demo.EventTail;
import io.vigil.evaluate.Charts;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.ingest.HostileCorpus;
import io.vigil.pipeline.FleetRun;
import io.vigil.pipeline.Pipeline;
import io.vigil.publish.MqttQos1Sender;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.kind.SensorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;

/**
 * A long run of the whole pipeline (simulated fleet → MQTT → bridge → Kafka → detector) with a
 * share of hostile messages from {@link HostileCorpus} mixed into the stream, sampling memory as it
 * goes: does anything grow, does anything die, is anything lost?
 *
 * <p>Each sample first asks for a full GC, so heap figures are live data, not garbage waiting for a
 * collection; native memory freed by the GC (JavaCPP buffers) is then released too. The pause this
 * costs every {@code sampleEvery} is part of the run.
 */
public final class SoakBench {

    /** What to run. */
    public record Settings(int devices, double rateHz, Duration duration, double hostileShare, Duration sampleEvery,
                           Path model, Pipeline.Brokers brokers, Path out) {
    }

    /**
     * One memory sample.
     *
     * @param minutes  since the fleet started
     * @param heap     heap used after a full GC, bytes
     * @param rss      resident set size of this process, bytes (heap, native, RocksDB, code; not the MQTT broker); -1 without procfs
     * @param anonymous the anonymous part of the RSS: heap, malloc'd native memory (RocksDB), stacks; not
     *                 file pages mapped in, such as the in-process Kafka broker's growing index files
     * @param javacpp  bytes JavaCPP (ND4J's native buffers) holds
     * @param direct   bytes in direct NIO buffers
     * @param threads  live threads
     * @param windows  score events read so far
     * @param rejected messages the bridge dead-lettered so far
     */
    public record Sample(double minutes, long heap, long rss, long anonymous, long javacpp, long direct, int threads,
                         long windows, long rejected) {
    }

    /**
     * What the run showed.
     *
     * @param growth per memory figure, least-squares slope over the samples after the warm-up, MB per hour
     */
    public record Result(Settings settings, List<Sample> samples, long hostileSent, long rejected, long windows,
                         long expectedWindows, long alerts, String detectorState, Growth growth) {
    }

    /** Least-squares slopes, MB per hour, of the figures that would reveal a leak. */
    public record Growth(double heap, double rss, double anonymous, double javacpp, double direct, double threads) {
    }

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    /** Samples in the first share of the run are warm-up (JIT, caches, RocksDB memtables filling) and left out of the slope. */
    public static final double WARMUP_SHARE = 0.2;

    private SoakBench() {
    }

    public static Result run(SensorKind kind, Settings s, Consumer<String> steps) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        double seconds = s.duration().toSeconds();
        Scenario scenario = new Scenario("soak", 42, kind.name(), s.devices(), "soak-", s.rateHz(), seconds, 0.05,
                List.of());
        try (Pipeline pipeline = Pipeline.builder()
                .brokers(s.brokers())
                .kinds(List.of(kind))
                .model(kind.name(), s.model())
                .applicationId("vigil-soak")
                .bridgeClientId("vigil-soak-bridge")
                .fleetView(false) // measures the detector as before: no extra consumer of every score
                .metrics(registry)
                .steps(steps)
                .start()) {
            PipelineBench.LatencyListener counts = new PipelineBench.LatencyListener(System.currentTimeMillis(),
                    Long.MAX_VALUE); // counts this run's windows only
            try (EventTail tail = EventTail.start(pipeline.bootstrapServers(), pipeline.kinds(),
                    PipelineBench.tailFrom(s.brokers()), counts)) {
                long startMs = System.currentTimeMillis() + 500;
                FleetRun fleet = FleetRun.start(Fleet.of(scenario), kind, pipeline.mqttUri(), 1.0, FleetRun.BATCH_MS,
                        seconds, startMs, Duration.ofMinutes(1), p -> { });
                double messagesPerSecond = s.devices() * 1000.0 / FleetRun.BATCH_MS;
                Hostile hostile = Hostile.start(pipeline.mqttUri(), kind, s.hostileShare() * messagesPerSecond);
                List<Sample> samples = new ArrayList<>();
                long began = System.nanoTime();
                while (!fleet.done().isDone()) {
                    awaitQuietly(fleet, s.sampleEvery());
                    Sample sample = sample((System.nanoTime() - began) / 60e9, counts, registry);
                    samples.add(sample);
                    steps.accept(String.format(Locale.ROOT,
                            "%5.1f min: heap %5.0f MB, rss %5.0f MB (anonymous %5.0f), javacpp %4.0f MB, direct %3.0f MB, %3d threads, "
                                    + "%,d windows scored, %,d hostile sent, %,d dead-lettered, detector %s",
                            sample.minutes(), mb(sample.heap()), mb(sample.rss()), mb(sample.anonymous()), mb(sample.javacpp()),
                            mb(sample.direct()), sample.threads(), sample.windows(), hostile.sent.get(),
                            sample.rejected(), pipeline.detectorState()));
                }
                hostile.close();
                PipelineBench.awaitFleet(fleet);
                long expected = (long) s.devices()
                        * PipelineBench.windowsPerDevice(scenario.samplesIn(seconds), kind);
                try {
                    counts.awaitWindows(expected, DRAIN_LIMIT);
                } catch (TimeoutException e) {
                    // reported: fewer windows scored than expected
                }
                long rejected = awaitRejected(registry, hostile.sent.get());
                Result result = new Result(s, samples, hostile.sent.get(), rejected, counts.windows.get(), expected,
                        counts.alerts.get(), String.valueOf(pipeline.detectorState()), growth(samples));
                return result;
            }
        }
    }

    /** Fleet-run future, waited on for at most one sampling interval. */
    private static void awaitQuietly(FleetRun fleet, Duration wait) throws InterruptedException {
        try {
            fleet.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // sampling time, or a failed fleet (reported by awaitFleet)
        }
    }

    /** Waits (bounded) for the bridge's dead-letter count to reach what was sent. */
    private static long awaitRejected(SimpleMeterRegistry registry, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        long rejected = rejected(registry);
        while (rejected < sent && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200); // polling a counter: no event to wait on
            rejected = rejected(registry);
        }
        return rejected;
    }

    private static long rejected(SimpleMeterRegistry registry) {
        return (long) registry.find(BridgeMetrics.REJECTED).counters().stream().mapToDouble(Counter::count).sum();
    }

    static Sample sample(double minutes, PipelineBench.LatencyListener counts, SimpleMeterRegistry registry) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new Sample(minutes, heap, ProcessMemory.rss(), ProcessMemory.anonymousRss(), Pointer.totalBytes(), direct,
                ManagementFactory.getThreadMXBean().getThreadCount(), counts.windows.get(), rejected(registry));
    }

    static Growth growth(List<Sample> samples) {
        List<Sample> steady = samples.subList((int) (samples.size() * WARMUP_SHARE), samples.size());
        return new Growth(slope(steady, Sample::heap), slope(steady, Sample::rss), slope(steady, Sample::anonymous),
                slope(steady, Sample::javacpp),
                slope(steady, Sample::direct), slope(steady, x -> x.threads() * (double) (1 << 20)));
    }

    /** Least-squares slope of {@code y} (bytes) over minutes, in MB per hour; NaN under two samples. */
    static double slope(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = samples.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double my = samples.stream().mapToDouble(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample sample : samples) {
            sxy += (sample.minutes() - mx) * (y.applyAsDouble(sample) - my);
            sxx += (sample.minutes() - mx) * (sample.minutes() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx * 60 / (1 << 20);
    }

    /** Writes {@code soak.csv} (the header lines first, as {@code #} comments) and {@code soak.png} into the settings' out. */
    public static void write(Result r, List<String> header) {
        try {
            Files.createDirectories(r.settings().out());
            Files.writeString(r.settings().out().resolve("soak.csv"), csv(r.samples(), header));
            double[] x = r.samples().stream().mapToDouble(Sample::minutes).toArray();
            Charts.lines(r.settings().out().resolve("soak.png"), String.format(Locale.ROOT,
                            "Soak: %d devices x %.0f Hz, %.0f%% hostile messages", r.settings().devices(),
                            r.settings().rateHz(), 100 * r.settings().hostileShare()), "minutes", "MB",
                    List.of(line("heap after full GC", x, r.samples(), Sample::heap),
                            line("process RSS", x, r.samples(), Sample::rss),
                            line("anonymous RSS", x, r.samples(), Sample::anonymous),
                            line("JavaCPP native", x, r.samples(), Sample::javacpp),
                            line("direct buffers", x, r.samples(), Sample::direct)), false, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(List<Sample> samples, List<String> header) {
        StringBuilder csv = new StringBuilder();
        header.forEach(line -> csv.append("# ").append(line).append('\n'));
        csv.append("minutes,heap_bytes,rss_bytes,anonymous_rss_bytes,javacpp_bytes,direct_bytes,threads,windows_scored,"
                + "dead_lettered\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.2f,%d,%d,%d,%d,%d,%d,%d,%d%n", s.minutes(), s.heap(), s.rss(),
                    s.anonymous(), s.javacpp(), s.direct(), s.threads(), s.windows(), s.rejected()));
        }
        return csv.toString();
    }

    private static Charts.Line line(String name, double[] x, List<Sample> samples,
                                    java.util.function.ToLongFunction<Sample> bytes) {
        return new Charts.Line(name, x, samples.stream().mapToDouble(s -> mb(bytes.applyAsLong(s))).toArray());
    }

    static double mb(long bytes) {
        return bytes / (double) (1 << 20);
    }

    /** Publishes the corpus's entries for one kind, round after round, at a steady rate on a thread of its own. */
    private static final class Hostile implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        private final Thread thread;
        private volatile boolean stop;

        private Hostile(String broker, SensorKind kind, double perSecond) {
            List<HostileCorpus.Entry> corpus = HostileCorpus.viaMqtt(System.currentTimeMillis()).stream()
                    .filter(e -> e.kind().equals(kind.name())).toList();
            this.thread = new Thread(() -> publish(broker, corpus, perSecond), "vigil-soak-hostile");
            thread.setDaemon(true);
        }

        static Hostile start(String broker, SensorKind kind, double perSecond) {
            Hostile hostile = new Hostile(broker, kind, perSecond);
            hostile.thread.start();
            return hostile;
        }

        private void publish(String broker, List<HostileCorpus.Entry> corpus, double perSecond) {
            if (perSecond <= 0 || corpus.isEmpty()) {
                return;
            }
            long intervalNanos = (long) (1e9 / perSecond);
            try (MqttQos1Sender sender = MqttQos1Sender.connect(broker, "vigil-soak-hostile", 100)) {
                long next = System.nanoTime();
                for (int i = 0; !stop; i++) {
                    HostileCorpus.Entry entry = corpus.get(i % corpus.size());
                    sender.send(entry.topic(), entry.payload());
                    sent.incrementAndGet();
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                sender.drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("hostile publisher failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }
}
