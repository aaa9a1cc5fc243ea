package io.vigil.frontend;

import io.vigil.kind.SensorKind.BlockStat;
import io.vigil.kind.SensorKind.Preprocess;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** {@code preprocess: {block, stat}}: every {@code block} raw samples become one, their mean or RMS around it. */
final class BlockFrontEnd implements FrontEnd {

    private final Preprocess spec;
    private final double[] sum;
    private final double[] sumSq;
    private int count;
    private long blockStart;
    private long frameStart;

    BlockFrontEnd(Preprocess spec, int inputs) {
        this.spec = spec;
        this.sum = new double[inputs];
        this.sumSq = new double[inputs];
    }

    @Override
    public int width() {
        return sum.length;
    }

    @Override
    public boolean add(long timestampMs, double[] values, float[] frame) {
        if (count == 0) {
            blockStart = timestampMs;
        }
        for (int f = 0; f < sum.length; f++) {
            sum[f] += values[f];
            sumSq[f] += values[f] * values[f];
        }
        if (++count < spec.block()) {
            return false;
        }
        for (int f = 0; f < sum.length; f++) {
            double mean = sum[f] / count;
            frame[f] = (float) (spec.stat() == BlockStat.MEAN ? mean
                    : Math.sqrt(Math.max(0, sumSq[f] / count - mean * mean)));
        }
        frameStart = blockStart;
        reset();
        return true;
    }

    @Override
    public long frameStartMs() {
        return frameStart;
    }

    /** A block is timed at its first sample, as before front-ends existed. */
    @Override
    public long frameEndMs() {
        return frameStart;
    }

    @Override
    public void reset() {
        count = 0;
        Arrays.fill(sum, 0);
        Arrays.fill(sumSq, 0);
    }

    @Override
    public int stateBytes() {
        return 4 + 8 + sum.length * 16;
    }

    @Override
    public void write(ByteBuffer out) {
        out.putInt(count).putLong(blockStart);
        for (int f = 0; f < sum.length; f++) {
            out.putDouble(sum[f]).putDouble(sumSq[f]);
        }
    }

    @Override
    public void read(ByteBuffer in) {
        count = in.getInt();
        blockStart = in.getLong();
        for (int f = 0; f < sum.length; f++) {
            sum[f] = in.getDouble();
            sumSq[f] = in.getDouble();
        }
    }
}
