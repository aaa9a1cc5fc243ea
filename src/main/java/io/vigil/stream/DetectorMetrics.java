package io.vigil.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detector's domain meters: names defined once here, tagged by sensor {@code kind} (and
 * {@code reason} for drops), so cardinality stays at kinds × reasons. Meters are thread-safe and
 * shared by every stream task of a kind.
 */
public final class DetectorMetrics {

    public static final String WINDOWS_SCORED = "vigil.detector.windows.scored";
    public static final String BATCH_SIZE = "vigil.detector.batch.size";
    public static final String SCORING_LATENCY = "vigil.detector.scoring.latency";
    public static final String ALERTS_RAISED = "vigil.detector.alerts.raised";
    public static final String ALERTS_CLEARED = "vigil.detector.alerts.cleared";
    public static final String ALERTS_ACTIVE = "vigil.detector.alerts.active";
    /** Samples not windowed, by reason: {@code duplicate}, {@code late}. */
    public static final String SAMPLES_DROPPED = "vigil.detector.samples.dropped";
    /** Rings emptied because of a gap in a device's samples. */
    public static final String WINDOW_RESETS = "vigil.detector.window.resets";
    /** Readings records sent to the dead-letter topic, by {@link ReadingParser.Reason}. */
    public static final String RECORDS_DEAD_LETTERED = "vigil.detector.records.deadlettered";

    public static final String TAG_KIND = "kind";
    public static final String TAG_REASON = "reason";

    private final MeterRegistry registry;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    public DetectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public Kind forKind(String kind) {
        return kinds.computeIfAbsent(kind, k -> new Kind(registry, k));
    }

    /** The meters of one sensor kind. */
    public static final class Kind {
        private final MeterRegistry registry;
        private final Tags tags;
        private final Counter windowsScored;
        private final DistributionSummary batchSize;
        private final Timer scoringLatency;
        private final Counter alertsRaised;
        private final Counter alertsCleared;
        private final AtomicLong activeAlerts = new AtomicLong();
        private final Counter gapResets;

        private Kind(MeterRegistry registry, String kind) {
            this.registry = registry;
            this.tags = Tags.of(TAG_KIND, kind);
            this.windowsScored = registry.counter(WINDOWS_SCORED, tags);
            this.batchSize = DistributionSummary.builder(BATCH_SIZE).baseUnit("windows").tags(tags)
                    .publishPercentiles(0.5, 0.99).register(registry);
            this.scoringLatency = Timer.builder(SCORING_LATENCY).description("one model call on a micro-batch")
                    .tags(tags).publishPercentiles(0.5, 0.99).register(registry);
            this.alertsRaised = registry.counter(ALERTS_RAISED, tags);
            this.alertsCleared = registry.counter(ALERTS_CLEARED, tags);
            this.gapResets = registry.counter(WINDOW_RESETS, tags.and(TAG_REASON, "gap"));
            registry.gauge(ALERTS_ACTIVE, tags, activeAlerts);
        }

        void scored(int windows, long nanos) {
            windowsScored.increment(windows);
            batchSize.record(windows);
            scoringLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        void raised() {
            alertsRaised.increment();
            activeAlerts.incrementAndGet();
        }

        void cleared() {
            alertsCleared.increment();
            activeAlerts.decrementAndGet();
        }

        /** Active alerts found in (positive) or handed back with (negative) a task's store. */
        void adoptActive(long delta) {
            activeAlerts.addAndGet(delta);
        }

        void gapReset() {
            gapResets.increment();
        }

        void sampleDropped(String reason) {
            registry.counter(SAMPLES_DROPPED, tags.and(TAG_REASON, reason)).increment();
        }

        void deadLettered(ReadingParser.Reason reason) {
            registry.counter(RECORDS_DEAD_LETTERED, tags.and(TAG_REASON, reason.tag())).increment();
        }
    }
}
