package io.vigil.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.metrics.LiveBoard;
import java.time.Duration;

/**
 * Tuning of the detector's micro-batches, and where its meters go.
 *
 * @param batchSize     windows per model call at most: a batch is scored as soon as it is this full
 * @param flushInterval wall-clock period after which a partial batch is scored anyway (latency cap)
 * @param registry      destination of {@link DetectorMetrics}
 * @param board         each device's latest score and alert state (per-device series, live page)
 */
public record DetectorSettings(int batchSize, Duration flushInterval, MeterRegistry registry, LiveBoard board) {

    /** 256 windows: where DL4J's per-call overhead is amortized (see DEVELOPERS.md). */
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** Half the exactly-once commit interval: a window waits at most this long for its score. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);

    public DetectorSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive, got " + flushInterval);
        }
        if (board == null) {
            board = new LiveBoard(registry, LiveBoard.DEFAULT_DEVICE_CAP);
        }
    }

    /** Settings with a device board of its own, of the default cap, on {@code registry}. */
    public DetectorSettings(int batchSize, Duration flushInterval, MeterRegistry registry) {
        this(batchSize, flushInterval, registry, null);
    }

    /** These settings with {@code board} in place of this one's. */
    public DetectorSettings withBoard(LiveBoard board) {
        return new DetectorSettings(batchSize, flushInterval, registry, board);
    }

    public static DetectorSettings defaults(MeterRegistry registry) {
        return new DetectorSettings(DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL, registry);
    }
}
