package io.vigil.model;

import io.vigil.frontend.FrontEnd;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.BlockStat;
import io.vigil.kind.SensorKind.FrontEndSpec;
import io.vigil.kind.SensorKind.Preprocess;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts one device's sample stream into fixed-length, overlapping windows: the single windowing
 * implementation shared by the stream detector, offline scoring, training and evaluation.
 *
 * <p>Raw samples first go through the topology's {@link FrontEnd} (blocks reduced to their mean or
 * RMS, spectral frames of vibration, rolling statistics of a slow sensor); its frames are kept in a
 * ring of {@code window} frames; once the ring is full a window is emitted, and then again every
 * {@code hop} frames.
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

    /** Format 3: the front-end's frames and state (format 2) plus the open jump of the clock rule. */
    private static final byte FORMAT = 3;
    private static final long NONE = Long.MIN_VALUE;

    private final Shape shape;
    private final FrontEnd frontEnd;
    private final int width;        // values per frame
    private final float[] frame;    // the front-end's output, reused
    private final float[] ring;     // [slot * width + value]
    private final long[] starts;    // first sample time of each ring slot's frame
    private long newestEnd;         // end time of the newest frame (older frames' ends are never needed)
    private int head;               // next slot to write
    private int filled;             // valid slots, at most window
    private int sinceEmit;          // frames added since the last emitted window
    private long lastTs = Long.MIN_VALUE;
    // The open jump, until a window is cut after it: no sample was accepted strictly between these times.
    private long jumpFrom = NONE;   // last accepted time before the jump (NONE: the device's start)
    private long jumpTo = NONE;     // first accepted time after it (NONE: no open jump)

    /**
     * The fixed parameters of a windower; one per topology.
     *
     * @param features raw values per sample
     * @param window   frames per window
     * @param hop      frames between window starts
     */
    public record Shape(int features, int window, int hop, FrontEndSpec frontEnd, long maxGapMs) {
        public Shape {
            if (features < 1 || window < 1 || hop < 1 || hop > window || maxGapMs < 1
                    || (frontEnd instanceof Preprocess p && p.block() < 1)) {
                throw new IllegalArgumentException("bad window shape: " + features + " features, window " + window
                        + ", hop " + hop + ", " + frontEnd.describe() + ", max gap " + maxGapMs + " ms");
            }
        }

        /** Blocks of {@code block} raw samples reduced by {@code stat}. */
        public Shape(int features, int window, int hop, int block, BlockStat stat, long maxGapMs) {
            this(features, window, hop, new Preprocess(block, stat), maxGapMs);
        }

        /** The topology's shape; a gap of more than 10 raw sample periods (at least 1 s) resets the window. */
        public static Shape of(SensorKind kind) {
            long gap = Math.max(1000L, Math.round(10_000.0 / kind.sampleRateHz()));
            return new Shape(kind.featureCount(), kind.window(), kind.hop(), kind.frontEnd(), gap);
        }
    }

    public Windower(Shape shape) {
        this.shape = shape;
        this.frontEnd = FrontEnd.of(shape.frontEnd(), shape.features());
        this.width = frontEnd.width();
        this.frame = new float[width];
        this.ring = new float[shape.window * width];
        this.starts = new long[shape.window];
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
        if (frontEnd.add(timestampMs, values, frame)) {
            push(emit);
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

    /** Frames currently in the ring. */
    public int filled() {
        return filled;
    }

    public long lastTimestamp() {
        return lastTs;
    }

    private void push(Consumer<Window> emit) {
        System.arraycopy(frame, 0, ring, head * width, width);
        starts[head] = frontEnd.frameStartMs();
        newestEnd = frontEnd.frameEndMs();
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
        float[][] values = new float[width][shape.window];
        int oldest = head; // ring is full: head is the oldest slot
        for (int t = 0; t < shape.window; t++) {
            int slot = (oldest + t) % shape.window;
            for (int f = 0; f < width; f++) {
                values[f][t] = ring[slot * width + f];
            }
        }
        return new Window(starts[oldest], newestEnd, values);
    }

    private void reset() {
        head = 0;
        filled = 0;
        sinceEmit = 0;
        frontEnd.reset();
    }

    /** The whole state, for a state store. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(stateLength());
        buffer.put(FORMAT).putInt(head).putInt(filled).putInt(sinceEmit).putLong(lastTs).putLong(newestEnd);
        for (float v : ring) {
            buffer.putFloat(v);
        }
        for (long t : starts) {
            buffer.putLong(t);
        }
        frontEnd.write(buffer);
        buffer.putLong(jumpFrom).putLong(jumpTo);
        return buffer.array();
    }

    private int stateLength() {
        return 1 + 3 * 4 + 2 * 8 + ring.length * 4 + starts.length * 8 + frontEnd.stateBytes() + 2 * 8;
    }

    /** Restores a state written by {@link #toBytes()} for the same shape. */
    public static Windower fromBytes(Shape shape, byte[] bytes) {
        Windower w = new Windower(shape);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int expected = w.stateLength();
        if (bytes.length != expected || buffer.get() != FORMAT) {
            throw new IllegalArgumentException("window state of " + bytes.length + " bytes does not match shape "
                    + shape + " (" + expected + " bytes expected)");
        }
        w.head = buffer.getInt();
        w.filled = buffer.getInt();
        w.sinceEmit = buffer.getInt();
        w.lastTs = buffer.getLong();
        w.newestEnd = buffer.getLong();
        for (int i = 0; i < w.ring.length; i++) {
            w.ring[i] = buffer.getFloat();
        }
        for (int i = 0; i < w.starts.length; i++) {
            w.starts[i] = buffer.getLong();
        }
        w.frontEnd.read(buffer);
        w.jumpFrom = buffer.getLong();
        w.jumpTo = buffer.getLong();
        return w;
    }
}
