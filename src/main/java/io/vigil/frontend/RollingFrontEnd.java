package io.vigil.frontend;

import io.vigil.kind.SensorKind.Rolling;
import java.nio.ByteBuffer;

/**
 * {@code frontEnd: {type: rolling, span}} for slow sensors: per feature its level, its change since
 * the previous sample, and the mean and standard deviation of its last {@code span} samples. The
 * first frame comes with the {@code span}-th sample, so every frame's statistics cover a full span.
 */
final class RollingFrontEnd implements FrontEnd {

    private final int span;
    private final int inputs;
    private final float[] ring;   // [slot * inputs + feature]
    private int head;
    private int filled;
    private long last;

    RollingFrontEnd(Rolling spec, int inputs) {
        this.span = spec.span();
        this.inputs = inputs;
        this.ring = new float[span * inputs];
    }

    @Override
    public int width() {
        return inputs * 4;
    }

    @Override
    public boolean add(long timestampMs, double[] values, float[] frame) {
        int previous = (head + span - 1) % span;
        boolean hasPrevious = filled > 0;
        for (int f = 0; f < inputs; f++) {
            float v = (float) values[f];
            frame[f * 4] = v;
            frame[f * 4 + 1] = hasPrevious ? v - ring[previous * inputs + f] : 0;
            ring[head * inputs + f] = v;
        }
        head = (head + 1) % span;
        filled = Math.min(filled + 1, span);
        last = timestampMs;
        if (filled < span) {
            return false;
        }
        for (int f = 0; f < inputs; f++) {
            double sum = 0;
            for (int i = 0; i < span; i++) {
                sum += ring[i * inputs + f];
            }
            double mean = sum / span;
            double squares = 0;
            for (int i = 0; i < span; i++) {
                double d = ring[i * inputs + f] - mean;
                squares += d * d;
            }
            frame[f * 4 + 2] = (float) mean;
            frame[f * 4 + 3] = (float) Math.sqrt(squares / span);
        }
        return true;
    }

    @Override
    public long frameStartMs() {
        return last;
    }

    @Override
    public long frameEndMs() {
        return last;
    }

    @Override
    public void reset() {
        head = 0;
        filled = 0;
    }

    @Override
    public int stateBytes() {
        return 4 + 4 + 8 + ring.length * 4;
    }

    @Override
    public void write(ByteBuffer out) {
        out.putInt(head).putInt(filled).putLong(last);
        for (float v : ring) {
            out.putFloat(v);
        }
    }

    @Override
    public void read(ByteBuffer in) {
        head = in.getInt();
        filled = in.getInt();
        last = in.getLong();
        for (int i = 0; i < ring.length; i++) {
            ring[i] = in.getFloat();
        }
    }
}
