package io.vigil.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.metrics.LiveBoard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    /** Samples not windowed, by reason: {@link #DROP_DUPLICATE}, {@link #DROP_LATE}. */
    public static final String SAMPLES_DROPPED = "vigil.detector.samples.dropped";
    public static final String DROP_DUPLICATE = "duplicate";
    public static final String DROP_LATE = "late";
    /**
     * Rings emptied, by reason: {@link #RESET_GAP} (a gap in a device's samples), {@link #RESET_CLOCK}
     * (a sample back in time inside a jump no window has confirmed: the jump was a bad clock value).
     */
    public static final String WINDOW_RESETS = "vigil.detector.window.resets";
    public static final String RESET_GAP = "gap";
    public static final String RESET_CLOCK = "clock";
    /** Windows whose reconstruction error was not finite, published with the largest double as score. */
    public static final String SCORES_OVERFLOWED = "vigil.detector.scores.overflowed";
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
        // Stream task → devices with an open episode in that task's alert store. Replaced whole when a task
        // (re)initializes from its store, so a task revived after an aborted transaction is not counted twice.
        private final Map<String, Set<String>> openEpisodes = new ConcurrentHashMap<>();
        private final Counter scoresOverflowed;
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
            this.scoresOverflowed = registry.counter(SCORES_OVERFLOWED, tags);
            Gauge.builder(ALERTS_ACTIVE, openEpisodes, m -> m.values().stream().mapToInt(Set::size).sum())
                    .tags(tags).register(registry);
            // Every reason's series from the start, at 0, so that dashboards show "none" instead of "no data".
            for (String reason : List.of(DROP_DUPLICATE, DROP_LATE)) {
                registry.counter(SAMPLES_DROPPED, tags.and(TAG_REASON, reason));
            }
            for (String reason : List.of(RESET_GAP, RESET_CLOCK)) {
                registry.counter(WINDOW_RESETS, tags.and(TAG_REASON, reason));
            }
            for (ReadingParser.Reason reason : ReadingParser.Reason.values()) {
                registry.counter(RECORDS_DEAD_LETTERED, tags.and(TAG_REASON, reason.tag()));
            }
        }

        void scored(int windows, long nanos) {
            windowsScored.increment(windows);
            batchSize.record(windows);
            scoringLatency.record(nanos, TimeUnit.NANOSECONDS);
        }

        void raised(String task, String deviceId) {
            alertsRaised.increment();
            openEpisodes.computeIfAbsent(task, t -> ConcurrentHashMap.newKeySet()).add(deviceId);
        }

        void cleared(String task, String deviceId) {
            alertsCleared.increment();
            Set<String> open = openEpisodes.get(task);
            if (open != null) {
                open.remove(deviceId);
            }
        }

        /**
         * The open episodes found in {@code task}'s alert store when the task starts here (process start,
         * rebalance, revival): device id → start of the episode's first window. They replace whatever this
         * task counted before, and the board shows those devices in alert, without a new alert event.
         */
        void adoptEpisodes(String task, Map<String, Long> openSince) {
            Set<String> open = ConcurrentHashMap.newKeySet();
            open.addAll(openSince.keySet());
            openEpisodes.put(task, open);
            openSince.forEach((device, since) -> board.alertState(kind, device, true, since));
        }

        /** {@code task} leaves this process: its episodes are counted, and shown, by its next owner. */
        void releaseEpisodes(String task) {
            Set<String> open = openEpisodes.remove(task);
            if (open != null) {
                open.forEach(device -> board.alertState(kind, device, false, 0));
            }
        }

        void scoreOverflowed() {
            scoresOverflowed.increment();
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
            if (threshold > 0 && Double.isFinite(score / threshold)) {
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

        void windowReset(String reason) {
            registry.counter(WINDOW_RESETS, tags.and(TAG_REASON, reason)).increment();
        }

        void sampleDropped(String reason) {
            registry.counter(SAMPLES_DROPPED, tags.and(TAG_REASON, reason)).increment();
        }

        void deadLettered(ReadingParser.Reason reason) {
            registry.counter(RECORDS_DEAD_LETTERED, tags.and(TAG_REASON, reason.tag())).increment();
        }
    }
}
