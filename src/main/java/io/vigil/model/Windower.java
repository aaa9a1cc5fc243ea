package io.vigil.model;

import io.vigil.topology.SensorTopology;
import io.vigil.topology.SensorTopology.BlockStat;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts one device's sample stream into fixed-length, overlapping windows: the single windowing
 * implementation shared by the stream detector, offline scoring, training and evaluation.
 *
 * <p>Raw samples are first reduced in blocks of {@code block} (mean, or RMS around the block mean),
 * then kept in a ring of {@code window} samples; once the ring is full a window is emitted, and
 * then again every {@code hop} samples.
 *
 * <p>Sample policy (documented in the README):
 * <ul>
 *   <li>a sample whose time equals the previous one is a duplicate and is dropped;</li>
 *   <li>a sample older than the previous one is late and is dropped (windows are never re-cut);</li>
 *   <li>a gap longer than {@code maxGapMs} empties the ring: no window spans a gap;</li>
 *   <li>a bad clock value is not trusted until it has made a window: after a forward jump past a gap
 *   (or the device's first sample), and until the next window is cut, a sample that comes back more
 *   than {@code maxGapMs} in time and falls strictly between the last time before the jump and the
 *   jump ({@link Outcome#CLOCK_RESET}) restarts the ring from itself instead of being dropped as late.
 *   So one reading stamped an hour ahead costs its device one window's fill, not an hour of
 *   samples. No time at or before the jump's start is accepted again, so duplicates stay dropped.</li>
 * </ul>
 *
 * <p>The whole state serializes to bytes ({@link #toBytes()}/{@link #fromBytes}) so a Kafka
 * Streams store can keep it per device.
 */
public final class Windower {

    /** What happened to one sample. */
    public enum Outcome { ACCEPTED, DUPLICATE, LATE, GAP_RESET, CLOCK_RESET }

    /** Format 2 adds the open jump to format 1; a format 1 state is read with no open jump. */
    private static final byte FORMAT = 2;
    private static final byte FORMAT_1 = 1;
    private static final long NONE = Long.MIN_VALUE;

    private final Shape shape;
    private final float[] ring;     // [slot * features + feature]
    private final long[] times;     // time of each ring slot
    private int head;               // next slot to write
    private int filled;             // valid slots, at most window
    private int sinceEmit;          // samples added since the last emitted window
    private long lastTs = Long.MIN_VALUE;
    private final double[] blockSum;
    private final double[] blockSumSq;
    private int blockCount;
    private long blockStart;
    // The open jump, until a window is cut after it: no sample was accepted strictly between these times.
    private long jumpFrom = NONE;   // last accepted time before the jump (NONE: the device's start)
    private long jumpTo = NONE;     // first accepted time after it (NONE: no open jump)

    /** The fixed parameters of a windower; one per topology. */
    public record Shape(int features, int window, int hop, int block, BlockStat stat, long maxGapMs) {
        public Shape {
            if (features < 1 || window < 1 || hop < 1 || hop > window || block < 1 || maxGapMs < 1) {
                throw new IllegalArgumentException("bad window shape: " + features + " features, window " + window
                        + ", hop " + hop + ", block " + block + ", max gap " + maxGapMs + " ms");
            }
        }

        /** The topology's shape; a gap of more than 10 raw sample periods (at least 1 s) resets the window. */
        public static Shape of(SensorTopology topology) {
            long gap = Math.max(1000L, Math.round(10_000.0 / topology.sampleRateHz()));
            return new Shape(topology.featureCount(), topology.window(), topology.hop(),
                    topology.preprocess().block(), topology.preprocess().stat(), gap);
        }
    }

    public Windower(Shape shape) {
        this.shape = shape;
        this.ring = new float[shape.window * shape.features];
        this.times = new long[shape.window];
        this.blockSum = new double[shape.features];
        this.blockSumSq = new double[shape.features];
    }

    public Shape shape() {
        return shape;
    }

    /**
     * Adds one raw sample; calls {@code emit} with a window when one completes.
     *
     * @param values one value per feature, finite (validated upstream)
     */
    public Outcome add(long timestampMs, double[] values, Consumer<Window> emit) {
        if (values.length != shape.features) {
            throw new IllegalArgumentException("expected " + shape.features + " values, got " + values.length);
        }
        Outcome outcome = Outcome.ACCEPTED;
        if (lastTs == NONE) {
            jumpTo = timestampMs; // a device's first time is as untrusted as a jump
        } else {
            if (timestampMs == lastTs) {
                return Outcome.DUPLICATE;
            }
            if (timestampMs < lastTs) {
                if (!insideOpenJump(timestampMs)) {
                    return Outcome.LATE;
                }
                reset();
                jumpTo = NONE; // the jump was the bad clock; older samples are late again
                outcome = Outcome.CLOCK_RESET;
            } else if (timestampMs - lastTs > shape.maxGapMs) {
                reset();
                if (jumpTo == NONE) { // a second jump before any window keeps the first one's start
                    jumpFrom = lastTs;
                    jumpTo = timestampMs;
                }
                outcome = Outcome.GAP_RESET;
            }
        }
        lastTs = timestampMs;
        if (blockCount == 0) {
            blockStart = timestampMs;
        }
        for (int f = 0; f < shape.features; f++) {
            blockSum[f] += values[f];
            blockSumSq[f] += values[f] * values[f];
        }
        if (++blockCount == shape.block) {
            push(blockStart, emit);
        }
        return outcome;
    }

    /**
     * A sample back in time by more than a gap, after a jump (or start) that has cut no window yet,
     * and strictly inside the jump, where nothing was accepted: the jump was a bad clock value.
     */
    private boolean insideOpenJump(long timestampMs) {
        return jumpTo != NONE && timestampMs > jumpFrom && timestampMs < jumpTo
                && lastTs - timestampMs > shape.maxGapMs;
    }

    /** Samples currently in the ring (after block reduction). */
    public int filled() {
        return filled;
    }

    public long lastTimestamp() {
        return lastTs;
    }

    private void push(long time, Consumer<Window> emit) {
        int base = head * shape.features;
        for (int f = 0; f < shape.features; f++) {
            double mean = blockSum[f] / blockCount;
            double value = shape.stat == BlockStat.MEAN ? mean
                    : Math.sqrt(Math.max(0, blockSumSq[f] / blockCount - mean * mean));
            ring[base + f] = (float) value;
            blockSum[f] = 0;
            blockSumSq[f] = 0;
        }
        blockCount = 0;
        times[head] = time;
        head = (head + 1) % shape.window;
        filled = Math.min(filled + 1, shape.window);
        sinceEmit++;
        if (filled == shape.window && (sinceEmit >= shape.hop || sinceEmit == filled)) {
            sinceEmit = 0;
            jumpFrom = NONE;
            jumpTo = NONE; // a window confirms the device's time
            emit.accept(snapshot());
        }
    }

    private Window snapshot() {
        float[][] values = new float[shape.features][shape.window];
        int oldest = head; // ring is full: head is the oldest slot
        for (int t = 0; t < shape.window; t++) {
            int slot = (oldest + t) % shape.window;
            for (int f = 0; f < shape.features; f++) {
                values[f][t] = ring[slot * shape.features + f];
            }
        }
        int newest = (head + shape.window - 1) % shape.window;
        return new Window(times[oldest], times[newest], values);
    }

    private void reset() {
        head = 0;
        filled = 0;
        sinceEmit = 0;
        blockCount = 0;
        java.util.Arrays.fill(blockSum, 0);
        java.util.Arrays.fill(blockSumSq, 0);
    }

    /** The whole state, for a state store. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(formatOneLength() + 8 * 2);
        buffer.put(FORMAT).putInt(head).putInt(filled).putInt(sinceEmit).putInt(blockCount)
                .putLong(lastTs).putLong(blockStart);
        for (float v : ring) {
            buffer.putFloat(v);
        }
        for (long t : times) {
            buffer.putLong(t);
        }
        for (int f = 0; f < shape.features; f++) {
            buffer.putDouble(blockSum[f]).putDouble(blockSumSq[f]);
        }
        buffer.putLong(jumpFrom).putLong(jumpTo);
        return buffer.array();
    }

    private int formatOneLength() {
        return 1 + 4 * 4 + 8 * 2 + ring.length * 4 + times.length * 8 + blockSum.length * 16;
    }

    /** Restores a state written by {@link #toBytes()} for the same shape. */
    public static Windower fromBytes(Shape shape, byte[] bytes) {
        Windower w = new Windower(shape);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int expected = w.toBytes().length;
        byte format = bytes.length > 0 ? bytes[0] : 0;
        boolean formatOne = format == FORMAT_1 && bytes.length == w.formatOneLength();
        if (!formatOne && (bytes.length != expected || format != FORMAT)) {
            throw new IllegalArgumentException("window state of " + bytes.length + " bytes does not match shape "
                    + shape + " (" + expected + " bytes expected)");
        }
        buffer.get();
        w.head = buffer.getInt();
        w.filled = buffer.getInt();
        w.sinceEmit = buffer.getInt();
        w.blockCount = buffer.getInt();
        w.lastTs = buffer.getLong();
        w.blockStart = buffer.getLong();
        for (int i = 0; i < w.ring.length; i++) {
            w.ring[i] = buffer.getFloat();
        }
        for (int i = 0; i < w.times.length; i++) {
            w.times[i] = buffer.getLong();
        }
        for (int f = 0; f < shape.features; f++) {
            w.blockSum[f] = buffer.getDouble();
            w.blockSumSq[f] = buffer.getDouble();
        }
        if (!formatOne) {
            w.jumpFrom = buffer.getLong();
            w.jumpTo = buffer.getLong();
        }
        return w;
    }
}
