package io.vigil.frontend;

import io.vigil.kind.SensorKind.FrontEndSpec;
import io.vigil.kind.SensorKind.Preprocess;
import io.vigil.kind.SensorKind.Rolling;
import io.vigil.kind.SensorKind.Spectrum;
import java.nio.ByteBuffer;

/**
 * Turns one device's raw samples into feature frames, one sample at a time: the step before
 * windowing, inside {@link io.vigil.model.Windower}, so training, offline scoring, evaluation and the
 * stream all run the same code. It keeps only what the next frames need; that state is written into
 * the windower's bytes, which the stream keeps in its changelogged store.
 *
 * <p>Raw values are kept as {@code float}: the state a restarted stream reads back is then exactly the
 * state an uninterrupted run holds, so restored and offline frames are bit-identical.
 */
public interface FrontEnd {

    /** Values per frame. */
    int width();

    /**
     * Adds one sample (one value per raw feature).
     *
     * @param frame receives the frame ({@link #width()} values) when one completes
     * @return true when {@code frame} was written
     */
    boolean add(long timestampMs, double[] values, float[] frame);

    /** Time of the last completed frame's first sample. */
    long frameStartMs();

    /** Time the last completed frame stands for at its end (its last sample, or its block's start). */
    long frameEndMs();

    /** Forgets every sample (a gap in the data). */
    void reset();

    /** Bytes {@link #write} puts. */
    int stateBytes();

    void write(ByteBuffer out);

    void read(ByteBuffer in);

    /** A fresh front-end for {@code inputs} raw features. */
    static FrontEnd of(FrontEndSpec spec, int inputs) {
        if (spec instanceof Spectrum s) {
            return new SpectrumFrontEnd(s, inputs);
        }
        if (spec instanceof Rolling r) {
            return new RollingFrontEnd(r, inputs);
        }
        return new BlockFrontEnd((Preprocess) spec, inputs);
    }
}
