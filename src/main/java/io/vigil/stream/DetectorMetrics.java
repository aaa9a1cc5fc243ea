package io.vigil.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.metrics.LiveBoard;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detector's domain meters: names defined once here, tagged by sensor {@code kind} (and
 * {@code reason} for drops), so cardinality stays at kinds × reasons. Meters are thread-safe and
 * shared by every stream task of a kind. Per-device series (latest score, threshold, alert state)
 * go through the {@link LiveBoard}, which caps how many devices get them.
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
    /** Timer: wall-clock time of a score's publication minus the sensor time of the window's last sample. */
    public static final String END_TO_END_LATENCY = "vigil.detector.end.to.end.latency";
    /** Distribution of score / threshold per window: scale-free, so one set of buckets fits every kind. */
    public static final String SCORE_RATIO = "vigil.detector.score.ratio";
    /** Gauge: distinct devices whose readings this process has windowed since it started. */
    public static final String DEVICES_SEEN = "vigil.detector.devices.seen";
    /** Info gauge, always 1: the model bundle version scoring the kind, in tag {@code version}. */
    public static final String MODEL_INFO = "vigil.model.info";
    public static final String TAG_VERSION = "version";
    /** Bucket bounds of {@link #SCORE_RATIO}: 1 is the threshold. */
    static final double[] SCORE_RATIO_BUCKETS = {0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 4, 8};
    /** Bucket bounds of {@link #BATCH_SIZE}, in windows. */
    static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    public static final String TAG_KIND = "kind";
    public static final String TAG_REASON = "reason";

    private final MeterRegistry registry;
    private final LiveBoard board;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    public DetectorMetrics(MeterRegistry registry) {
        this(registry, new LiveBoard(registry, LiveBoard.DEFAULT_DEVICE_CAP));
    }

    /** @param board where each device's latest score and alert state go (per-device series, live page) */
    public DetectorMetrics(MeterRegistry registry, LiveBoard board) {
        this.registry = registry;
        this.board = board;
    }

    public Kind forKind(String kind) {
        return kinds.computeIfAbsent(kind, k -> new Kind(registry, board, k));
    }

    /** The meters of one sensor kind. */
    public static final class Kind {
        private final MeterRegistry registry;
        private final LiveBoard board;
        private final String kind;
        private final Tags tags;
        private final Counter windowsScored;
        private final DistributionSummary batchSize;
        private final Timer scoringLatency;
        private final Counter alertsRaised;
        private final Counter alertsCleared;
        private final AtomicLong activeAlerts = new AtomicLong();
        private final Counter gapResets;
        private final Timer endToEnd;
        private final DistributionSummary scoreRatio;
        // Grows with the fleet (about 100 bytes a device): a count of distinct ids needs the ids.
        private final Set<String> devicesSeen = ConcurrentHashMap.newKeySet();
        private Gauge modelInfo;

        private Kind(MeterRegistry registry, LiveBoard board, String kind) {
            this.registry = registry;
            this.board = board;
            this.kind = kind;
            this.tags = Tags.of(TAG_KIND, kind);
            this.windowsScored = registry.counter(WINDOWS_SCORED, tags);
            this.batchSize = DistributionSummary.builder(BATCH_SIZE).baseUnit("windows").tags(tags)
                    .serviceLevelObjectives(BATCH_SIZE_BUCKETS).register(registry);
            this.scoringLatency = Timer.builder(SCORING_LATENCY).description("one model call on a micro-batch")
                    .tags(tags).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            this.endToEnd = Timer.builder(END_TO_END_LATENCY)
                    .description("sensor time of a window's last sample to the publication of its score")
                    .tags(tags).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(5))
                    .register(registry);
            this.scoreRatio = DistributionSummary.builder(SCORE_RATIO).description("window score / threshold")
                    .tags(tags).serviceLevelObjectives(SCORE_RATIO_BUCKETS).register(registry);
            Gauge.builder(DEVICES_SEEN, devicesSeen, Set::size).tags(tags).register(registry);
            this.alertsRaised = registry.counter(ALERTS_RAISED, tags);
            this.alertsCleared = registry.counter(ALERTS_CLEARED, tags);
            this.gapResets = registry.counter(WINDOW_RESETS, tags.and(TAG_REASON, "gap"));
            registry.gauge(ALERTS_ACTIVE, tags, activeAlerts);
        }

        void scored(int windows, long nanos) {
            windowsScored.increment(windows);
            batchSize.record(windows);
            scoringLatency.record(nanos, TimeUnit.NANOSECONDS);
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

        /** A reading of {@code deviceId} arrived (counted once per device). */
        void deviceSeen(String deviceId) {
            devicesSeen.add(deviceId);
        }

        /** The kind is scored by model {@code version}; a new version replaces the old info series. */
        synchronized void modelLoaded(String version) {
            if (modelInfo != null && version.equals(modelInfo.getId().getTag(TAG_VERSION))) {
                return;
            }
            if (modelInfo != null) {
                registry.remove(modelInfo);
            }
            modelInfo = Gauge.builder(MODEL_INFO, () -> 1).tags(tags.and(TAG_VERSION, version))
                    .description("model bundle version in use (value always 1)").register(registry);
        }

        /** One window's score was published at {@code nowMs}. */
        void windowScored(String deviceId, double score, double threshold, long windowEndMs, long nowMs) {
            endToEnd.record(Math.max(0, nowMs - windowEndMs), TimeUnit.MILLISECONDS);
            if (threshold > 0) {
                scoreRatio.record(score / threshold);
            }
            board.scored(kind, deviceId, score, threshold, windowEndMs, nowMs);
        }

        /** An alert episode of {@code deviceId} was raised or cleared. */
        void alertChanged(AlertEvent event) {
            boolean raised = event.state() == AlertEvent.State.RAISED;
            board.alert(kind, event.deviceId(), raised, new LiveBoard.AlertNote(kind, event.deviceId(),
                    event.alertId(), event.state().name(), event.severity().name(), event.peakScore(),
                    event.threshold(), event.detectedAt()));
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
