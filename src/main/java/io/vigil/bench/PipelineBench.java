package io.vigil.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.demo.EventTail;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.pipeline.FleetRun;
import io.vigil.pipeline.Pipeline;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.Scenario;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.DetectorMetrics;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs the whole pipeline (simulated healthy fleet → MQTT → bridge → Kafka → detector → scores) at a
 * given fleet size in real time and measures, after a warm-up, what each stage sustains and the
 * latency from a window's newest sample (sensor time) to its score event being readable on Kafka.
 */
public final class PipelineBench {

    /** What to run. */
    public record Settings(int devices, double rateHz, double seconds, double warmupSeconds, int batchMs,
                           int streamThreads, Path model, Pipeline.Brokers brokers) {
    }

    /**
     * What one run sustained; rates are samples per second over the measured interval.
     *
     * @param offered         devices × rate
     * @param published       samples the simulator got acknowledged by MQTT, per second
     * @param bridged         samples the bridge wrote to Kafka, per second
     * @param scored          windows scored per second × hop: samples the detector kept up with
     * @param drainSeconds    after the fleet stopped, seconds until every window was scored (NaN: not within the limit)
     * @param modelBusy       share of wall time the detector spent inside model calls (1.0 = one thread always busy)
     * @param processCpu      this JVM's CPU use, share of all cores (the MQTT broker process not included)
     * @param latency         sensor time of a window's last sample → score event readable, ms
     */
    public record Result(Settings settings, double offered, double published, double bridged, double scored,
                         double drainSeconds, double modelBusy, double processCpu, double meanBatch, Histogram latency,
                         long alerts) {

        public double p(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile);
        }

        /** The stage that keeps up least with what it is given, in one sentence. */
        public String bottleneck() {
            double publishing = published / offered;
            double bridging = bridged / Math.max(1, published);
            double detecting = scored / Math.max(1, bridged);
            double worst = Math.min(publishing, Math.min(bridging, detecting));
            boolean backlog = Double.isNaN(drainSeconds) || drainSeconds > 5;
            if (worst >= 0.95 && !backlog) {
                return p(99) > 1000
                        ? "latency: every stage keeps up, but p99 is over 1 s (commit interval, batching, CPU contention)"
                        : "none: every stage keeps up; latency is MQTT batching (" + settings.batchMs()
                                + " ms per message) + micro-batch flush + exactly-once commit interval";
            }
            if (worst == detecting || (backlog && detecting < 0.95)) {
                return "detector: scores only " + pct(detecting) + " of the bridged rate"
                        + (modelBusy > 0.5 ? "; model calls take " + pct(modelBusy) + " of the stream thread" : "")
                        + (processCpu > 0.85 ? "; CPU saturated (" + pct(processCpu) + ")" : "");
            }
            if (worst == bridging) {
                return "bridge: MQTT -> Kafka forwards only " + pct(bridging) + " of what was published";
            }
            return "publishing: the simulator + MQTT broker deliver only " + pct(publishing)
                    + " of the offered rate (they share the cores with the pipeline)";
        }

        private static String pct(double share) {
            return String.format(java.util.Locale.ROOT, "%.0f%%", 100 * share);
        }
    }

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);

    private PipelineBench() {
    }

    public static Result run(SensorKind kind, Settings s, Consumer<String> steps) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Scenario scenario = new Scenario("bench", 42, kind.name(), s.devices(), "bench-", s.rateHz(), s.seconds(),
                0.05, List.of());
        try (Pipeline pipeline = Pipeline.builder()
                .brokers(s.brokers())
                .kinds(List.of(kind))
                .model(kind.name(), s.model())
                .applicationId("vigil-bench")
                .bridgeClientId("vigil-bench-bridge")
                .streamThreads(s.streamThreads())
                .fleetView(false) // measures the detector as before: no extra consumer of every score
                .metrics(registry)
                .steps(steps)
                .start()) {
            long startMs = System.currentTimeMillis() + 500;
            long measureFromMs = startMs + (long) (s.warmupSeconds() * 1000);
            LatencyListener listener = new LatencyListener(startMs, measureFromMs);
            try (EventTail tail = EventTail.start(pipeline.bootstrapServers(), pipeline.kinds(),
                    tailFrom(s.brokers()), listener)) {
                FleetRun fleet = FleetRun.start(Fleet.of(scenario), kind, pipeline.mqttUri(), 1.0, s.batchMs(),
                        s.seconds(), startMs, Duration.ofSeconds(10),
                        p -> steps.accept(String.format(java.util.Locale.ROOT,
                                "  %.0f of %.0f s published, %.0f samples/s", p.simulatedSeconds(), s.seconds(),
                                p.samplesPerSecond())));
                waitUntil(measureFromMs);
                Snapshot from = Snapshot.take(registry, kind, listener);
                MqttFleetPublisher.Progress published = awaitFleet(fleet);
                Snapshot to = Snapshot.take(registry, kind, listener);
                long expectedWindows = (long) s.devices() * windowsPerDevice(scenario.samplesIn(s.seconds()), kind);
                double drain = awaitDrain(listener, expectedWindows);
                double wall = (to.nanos - from.nanos) / 1e9;
                double offered = s.devices() * s.rateHz();
                return new Result(s, offered, published.samplesPerSecond(), (to.bridged - from.bridged) / wall,
                        (to.windows - from.windows) * kind.hop() / wall, drain,
                        (to.modelSeconds - from.modelSeconds) / wall,
                        (to.cpuNanos - from.cpuNanos) / 1e9 / wall / Runtime.getRuntime().availableProcessors(),
                        to.batches == from.batches ? Double.NaN
                                : (double) (to.windows - from.windows) / (to.batches - from.batches),
                        listener.recorder.getIntervalHistogram(), listener.alerts.get());
            }
        }
    }

    /**
     * An embedded Kafka holds only this run's events; an external one may hold earlier runs', which
     * the tail skips by starting at the end (and the listener by sensor time).
     */
    static EventTail.From tailFrom(Pipeline.Brokers brokers) {
        return brokers.externalKafka() ? EventTail.From.END : EventTail.From.BEGINNING;
    }

    /** Windows the detector cuts from {@code samples} consecutive samples of one device. */
    public static long windowsPerDevice(long samples, SensorKind kind) {
        return samples < kind.window() ? 0 : (samples - kind.window()) / kind.hop() + 1;
    }

    static MqttFleetPublisher.Progress awaitFleet(FleetRun fleet) throws InterruptedException {
        try {
            return fleet.done().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("fleet failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static double awaitDrain(LatencyListener listener, long expectedWindows) throws InterruptedException {
        long began = System.nanoTime();
        try {
            listener.awaitWindows(expectedWindows, DRAIN_LIMIT);
            return (System.nanoTime() - began) / 1e9;
        } catch (TimeoutException e) {
            return Double.NaN;
        }
    }

    private static void waitUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            TimeUnit.MILLISECONDS.sleep(wait); // a benchmark's warm-up is a wall-clock interval by definition
        }
    }

    /** Counters at one moment. */
    private record Snapshot(long nanos, double bridged, long windows, double modelSeconds, long batches, long cpuNanos) {
        static Snapshot take(SimpleMeterRegistry registry, SensorKind kind, LatencyListener listener) {
            Counter samples = registry.find(BridgeMetrics.SAMPLES).tag(BridgeMetrics.TAG_KIND, kind.name()).counter();
            Timer scoring = registry.find(DetectorMetrics.SCORING_LATENCY).timer();
            return new Snapshot(System.nanoTime(), samples == null ? 0 : samples.count(), listener.windows.get(),
                    scoring == null ? 0 : scoring.totalTime(TimeUnit.NANOSECONDS) / 1e9,
                    scoring == null ? 0 : scoring.count(), processCpuNanos());
        }

        private static long processCpuNanos() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return 0;
        }
    }

    /** Counts score and alert events and records latency for windows that end after the warm-up. */
    static final class LatencyListener implements EventTail.Listener {
        private final long countFromMs;
        private final long measureFromMs;
        private final Recorder recorder = new Recorder(3_600_000L, 3); // up to an hour, 3 significant digits
        final AtomicLong windows = new AtomicLong();
        final AtomicLong alerts = new AtomicLong();

        /**
         * @param countFromMs   events of windows ending before this sensor time are an earlier run's
         *                      (an external Kafka's backlog, a restarted detector's) and are ignored
         * @param measureFromMs windows ending from this sensor time on are in the latency histogram
         */
        LatencyListener(long countFromMs, long measureFromMs) {
            this.countFromMs = countFromMs;
            this.measureFromMs = measureFromMs;
        }

        @Override
        public void score(ScoreEvent event, long receivedMs) {
            if (event.windowEnd() < countFromMs) {
                return;
            }
            if (event.windowEnd() >= measureFromMs) {
                recorder.recordValue(Math.max(0, Math.min(3_600_000L, receivedMs - event.windowEnd())));
            }
            synchronized (this) {
                windows.incrementAndGet();
                notifyAll();
            }
        }

        @Override
        public void alert(AlertEvent event) {
            if (event.lastWindowEnd() >= countFromMs) {
                alerts.incrementAndGet();
            }
        }

        synchronized void awaitWindows(long expected, Duration limit) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (windows.get() < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
