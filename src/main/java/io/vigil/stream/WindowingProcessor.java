package io.vigil.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.model.DeviceCalibration;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.model.Windower;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts each device's samples into windows ({@link Windower}, one per device in a changelogged
 * store) and scores them in micro-batches across devices: one model call when {@code batchSize}
 * windows are waiting, or on a wall-clock punctuation every {@code flushInterval}, never one call per
 * window. Each scored window is forwarded as a {@link ScoreEvent} to the scores sink and to the
 * alerting processor; unreadable records go to the dead-letter sink.
 *
 * <p><b>Threading.</b> One instance per stream task; it creates its own {@link WindowScorer} in
 * {@link #init} from the factory, so the model is used by the task's thread only.
 *
 * <p><b>Restart safety.</b> A window leaves the ring buffer when it is cut, but is scored up to one
 * flush interval later. So that a crash between a commit and the next flush loses no window, every
 * cut window is also written to a changelogged <em>pending</em> store and deleted from it in the flush
 * that publishes its score. Under exactly-once both changes commit atomically with the ring-buffer
 * state and the score records; after a restart (or a task migration) {@link #init} reloads whatever is
 * pending into the batch, and the next flush scores it. A window is therefore scored exactly once,
 * and each device's windows reach the alerting processor in time order.
 *
 * <p><b>Each device's own normal.</b> When the kind declares {@code alert.calibrate}, a
 * {@link DeviceCalibration} per device (in a changelogged store) standardizes each window as it is cut
 * — the pending store keeps the standardized window, so a restart scores what it would have — and
 * judges each score: during the device's warm-up the score is published (against the bundle's
 * threshold) but does not reach the alert rule; afterwards it is published against, and alerted on,
 * the device's own threshold — or, with {@code alert.calibrate.likelihood}, its anomaly likelihood is
 * published as the event's score against the likelihood's threshold.
 */
public final class WindowingProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowingProcessor.class);
    /** Counter, tag {@code kind}: windows the shadow candidate scored too. */
    public static final String SHADOW_WINDOWS = "vigil.model.shadow.windows";
    /** Counter, tag {@code kind}: shadow windows where both models agree on over/under threshold. */
    public static final String SHADOW_AGREED = "vigil.model.shadow.agreed";
    /** Gauge, tag {@code kind}: {@value #SHADOW_AGREED} / {@value #SHADOW_WINDOWS}. */
    public static final String SHADOW_AGREEMENT = "vigil.model.shadow.agreement";

    private final SensorKind sensorKind;
    private final DetectorTopology.Names names;
    private final Windower.Shape shape;
    private final ReadingParser parser;
    private final Supplier<WindowScorer> scorerFactory;
    private final DetectorSettings settings;
    private final DetectorMetrics.Kind meters;
    private final List<PendingWindow> batch = new ArrayList<>();

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> windowers;
    private KeyValueStore<String, byte[]> pending;
    private WindowScorer scorer;
    private final DeviceCalibration calibration; // null: one threshold for every device
    private KeyValueStore<String, DeviceCalibration.State> calibrations;
    private ShadowMeters shadowMeters; // registered with the first shadow batch

    public WindowingProcessor(SensorKind sensorKind, Supplier<WindowScorer> scorerFactory, DetectorSettings settings,
                              DetectorMetrics.Kind meters) {
        this.sensorKind = sensorKind;
        this.names = new DetectorTopology.Names(sensorKind.name());
        this.shape = Windower.Shape.of(sensorKind);
        this.parser = new ReadingParser(sensorKind);
        this.scorerFactory = scorerFactory;
        this.settings = settings;
        this.meters = meters;
        this.calibration = sensorKind.alert().calibrate() == null ? null
                : new DeviceCalibration(sensorKind.alert().calibrate(), sensorKind.hop(), sensorKind.frontEnd());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.windowers = context.getStateStore(names.windowStore());
        this.pending = context.getStateStore(names.pendingStore());
        this.calibrations = calibration == null ? null : context.getStateStore(names.calibrationStore());
        this.scorer = scorerFactory.get();
        meters.modelLoaded(scorer.modelVersion());
        reloadPending();
        context.schedule(settings.flushInterval(), PunctuationType.WALL_CLOCK_TIME, wallClockMs -> flush());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ReadingParser.Result result = parser.parse(record.key(), sensorKind.kafka().readings(), record.value());
        if (result instanceof ReadingParser.Rejected rejected) {
            deadLetter(record, rejected);
        } else {
            meters.deviceSeen(record.key());
            cutWindows(record.key(), ((ReadingParser.Accepted) result).batch());
        }
    }

    /** Scores the waiting windows in one model call and publishes their score events. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<Window> windows = batch.stream().map(PendingWindow::window).toList();
        long started = System.nanoTime();
        List<WindowScore> scores = scorer.score(windows);
        meters.scored(windows.size(), System.nanoTime() - started);
        if (scores.size() != windows.size()) {
            throw new IllegalStateException("scorer returned " + scores.size() + " scores for " + windows.size()
                    + " windows");
        }
        meters.modelLoaded(scorer.modelVersion()); // a switching scorer may have switched before this batch
        double threshold = threshold();
        long now = System.currentTimeMillis(); // end-to-end latency is against the real clock, as the sensors' is
        boolean[] over = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            PendingWindow cut = batch.get(i);
            DeviceCalibration.Judged judged = calibration == null ? null : judge(cut.deviceId(), scores.get(i));
            Double own = judged == null ? Double.valueOf(threshold) : judged.threshold();
            double value = judged == null ? scores.get(i).score() : judged.value();
            ScoreEvent event = scoreEvent(cut, scores.get(i), value, own == null ? threshold : own,
                    scorer.modelVersion());
            over[i] = event.overThreshold();
            Record<String, Object> out = new Record<>(cut.deviceId(), event, cut.window().endMs());
            context.forward(out, names.scoresSink());
            if (own != null) {
                context.forward(out, names.alerting());
            }
            pending.delete(cut.key());
            meters.windowScored(cut.deviceId(), event.score(), event.threshold(), cut.window().endMs(), now);
        }
        WindowScorer candidate = scorer.shadow();
        if (candidate != null) {
            scoreInShadow(candidate, windows, over);
        }
        batch.clear();
    }

    /**
     * The shadow candidate scores the same windows; its events go to the shadow scores topic only (never
     * to the alerting processor), and each window counts toward the agreement metric when both models put
     * it on the same side of their thresholds.
     */
    private void scoreInShadow(WindowScorer candidate, List<Window> windows, boolean[] over) {
        List<WindowScore> scores;
        try {
            scores = candidate.score(windows);
        } catch (RuntimeException e) { // a candidate never stops the live model
            LOG.warn("kind {}: shadow model {} failed on a batch: {}", sensorKind.name(), candidate.modelVersion(),
                    e.toString());
            return;
        }
        Double fixed = sensorKind.alert().fixedThreshold();
        double threshold = fixed != null ? fixed : candidate.threshold();
        if (shadowMeters == null) {
            shadowMeters = new ShadowMeters(settings.registry(), sensorKind.name());
        }
        int agreed = 0;
        for (int i = 0; i < batch.size(); i++) {
            PendingWindow cut = batch.get(i);
            ScoreEvent event = scoreEvent(cut, scores.get(i), scores.get(i).score(), threshold,
                    candidate.modelVersion());
            context.forward(new Record<String, Object>(cut.deviceId(), event, cut.window().endMs()),
                    names.shadowScoresSink());
            agreed += event.overThreshold() == over[i] ? 1 : 0;
        }
        shadowMeters.windows.increment(batch.size());
        shadowMeters.agreed.increment(agreed);
    }

    /** Shadow meters of a kind, registered with its first shadow batch (Micrometer hands every task the same ones). */
    private static final class ShadowMeters {
        final Counter windows;
        final Counter agreed;

        ShadowMeters(MeterRegistry registry, String kind) {
            windows = Counter.builder(SHADOW_WINDOWS).description("windows scored by the shadow candidate too")
                    .tag("kind", kind).register(registry);
            agreed = Counter.builder(SHADOW_AGREED)
                    .description("shadow windows both models put on the same side of their thresholds")
                    .tag("kind", kind).register(registry);
            Counter all = windows;
            Counter same = agreed;
            Gauge.builder(SHADOW_AGREEMENT, () -> all.count() == 0 ? Double.NaN : same.count() / all.count())
                    .description("share of shadow windows where live and candidate agree on over/under threshold")
                    .tag("kind", kind).register(registry);
        }
    }

    private void cutWindows(String deviceId, SampleBatch samples) {
        Windower windower = windowerOf(deviceId);
        for (int i = 0; i < samples.size(); i++) {
            switch (windower.add(samples.timestampOf(i), samples.samples()[i], w -> enqueue(deviceId, w))) {
                case DUPLICATE -> meters.sampleDropped(DetectorMetrics.DROP_DUPLICATE);
                case LATE -> meters.sampleDropped(DetectorMetrics.DROP_LATE);
                case GAP_RESET -> meters.windowReset(DetectorMetrics.RESET_GAP);
                case CLOCK_RESET -> meters.windowReset(DetectorMetrics.RESET_CLOCK);
                case ACCEPTED -> { }
            }
        }
        windowers.put(deviceId, windower.toBytes());
    }

    private Windower windowerOf(String deviceId) {
        byte[] state = windowers.get(deviceId);
        if (state == null) {
            return new Windower(shape);
        }
        try {
            return Windower.fromBytes(shape, state);
        } catch (IllegalArgumentException e) {
            // The topology's window shape changed since this state was written: start the device afresh.
            LOG.warn("device {} of kind {}: dropping stored window state ({})", deviceId, sensorKind.name(),
                    e.getMessage());
            return new Windower(shape);
        }
    }

    /**
     * The device's own threshold for this score (null while it warms up: the score raises nothing) and
     * the value held against it (the score, or its anomaly likelihood).
     */
    private DeviceCalibration.Judged judge(String deviceId, WindowScore score) {
        DeviceCalibration.Judged judged = calibration.scored(calibrationOf(deviceId), score.score());
        calibrations.put(deviceId, judged.state());
        return judged;
    }

    private DeviceCalibration.State calibrationOf(String deviceId) {
        DeviceCalibration.State state = calibrations.get(deviceId);
        return state != null ? state : DeviceCalibration.State.fresh(sensorKind.featureCount());
    }

    private void enqueue(String deviceId, Window window) {
        if (calibration != null) {
            DeviceCalibration.Cut standardized = calibration.cut(calibrationOf(deviceId), window);
            calibrations.put(deviceId, standardized.state());
            window = standardized.window();
        }
        PendingWindow cut = new PendingWindow(deviceId, window);
        pending.put(cut.key(), cut.toBytes());
        batch.add(cut);
        if (batch.size() >= settings.batchSize()) {
            flush();
        }
    }

    private void reloadPending() {
        try (KeyValueIterator<String, byte[]> stored = pending.all()) {
            while (stored.hasNext()) {
                KeyValue<String, byte[]> entry = stored.next();
                batch.add(PendingWindow.fromBytes(entry.value));
            }
        }
        if (!batch.isEmpty()) {
            LOG.info("kind {}: {} windows cut before a restart are pending; they are scored in the next flush",
                    sensorKind.name(), batch.size());
        }
    }

    private double threshold() {
        Double fixed = sensorKind.alert().fixedThreshold();
        return fixed != null ? fixed : scorer.threshold();
    }

    /** @param value the score, or with {@code alert.calibrate.likelihood} the device's anomaly likelihood */
    private ScoreEvent scoreEvent(PendingWindow cut, WindowScore score, double value, double threshold,
                                  String modelVersion) {
        List<String> features = sensorKind.modelFeatures();
        if (score.featureShare().length != features.size()) {
            throw new IllegalStateException("scorer returned " + score.featureShare().length + " feature shares for "
                    + features.size() + " features " + features);
        }
        if (!Double.isFinite(score.score())) {
            meters.scoreOverflowed();
        }
        double[] finiteShares = FiniteScore.shares(score.featureShare());
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int f = 0; f < features.size(); f++) {
            shares.put(features.get(f), finiteShares[f]);
        }
        return new ScoreEvent(cut.deviceId(), sensorKind.name(), cut.window().startMs(), cut.window().endMs(),
                FiniteScore.score(value), threshold, modelVersion, shares);
    }

    private void deadLetter(Record<String, byte[]> record, ReadingParser.Rejected rejected) {
        meters.deadLettered(rejected.reason());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(DetectorTopology.REASON_HEADER, rejected.header().getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.SOURCE_TOPIC_HEADER,
                sensorKind.kafka().readings().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                names.deadLetterSink());
    }

    @Override
    public void close() {
        // Windows still in the batch are in the pending store; whoever owns the task next scores them.
        batch.clear();
        if (scorer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("kind {}: closing the scorer failed: {}", sensorKind.name(), e.toString());
            }
        }
    }
}
