package io.vigil.frontend;

import io.vigil.kind.SensorKind.Spectrum;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * {@code frontEnd: {type: spectrum, ...}} for full-rate vibration. It keeps the last {@code frame} raw
 * samples of each axis; every {@code frameHop} samples (once the frame is full) it computes, per axis,
 * in this order:
 * <ol>
 *   <li>log10 band energies of the Hann-windowed frame's power spectrum, bands log-spaced from
 *       {@code lowHz} to {@code highHz}: where the rotating parts' harmonics and the resonances that
 *       impacts excite show;</li>
 *   <li>log10 band energies of the envelope spectrum: the frame band-passed to
 *       {@code envelopeLowHz..envelopeHighHz} and made analytic (Hilbert transform, both in one FFT),
 *       its magnitude (the envelope) Hann-windowed and transformed again, in equal bands up to
 *       {@code envelopeMaxHz}: bearing defects repeat impacts at their defect frequencies, which
 *       modulate the resonance, and the envelope brings that rate down to where these bands see it;</li>
 *   <li>RMS, kurtosis (m4/m2², 3 for Gaussian noise, higher for impacts), crest factor (peak/RMS) and
 *       peak (largest |x|), of the frame around its mean.</li>
 * </ol>
 * A frame is timed from its first to its last sample. FFTs are JTransforms'; plans and work arrays are
 * per thread, so the per-device objects the stream rebuilds from bytes stay cheap.
 */
final class SpectrumFrontEnd implements FrontEnd {

    /** Floor under every band energy before the log: far below an ADXL356's noise floor per band (~1e-9 V²). */
    static final double ENERGY_FLOOR = 1e-15;

    private final Spectrum spec;
    private final int axes;
    private final int n;
    private final int width;
    private final float[] ring;    // [slot * axes + axis]
    private final long[] times;
    private int head;
    private int filled;
    private int sinceFrame;
    private long frameStart;
    private long frameEnd;
    private final int[] bandOf;         // power-spectrum bin -> band, -1 outside every band
    private final int[] envelopeBandOf; // envelope-spectrum bin -> band, -1 outside
    private final int envelopeLowBin;
    private final int envelopeHighBin;

    SpectrumFrontEnd(Spectrum spec, int axes) {
        this.spec = spec;
        this.axes = axes;
        this.n = spec.frame();
        this.width = spec.outputNames(java.util.Collections.nCopies(axes, "a")).size() / axes;
        this.ring = new float[n * axes];
        this.times = new long[n];
        double binHz = spec.rateHz() / n;
        this.bandOf = new int[n / 2 + 1];
        double ratio = Math.pow(spec.highHz() / spec.lowHz(), 1.0 / spec.bands());
        for (int k = 0; k <= n / 2; k++) {
            double hz = k * binHz;
            int band = hz < spec.lowHz() || hz >= spec.highHz() ? -1
                    : (int) Math.floor(Math.log(hz / spec.lowHz()) / Math.log(ratio));
            bandOf[k] = band >= spec.bands() ? -1 : band;
        }
        this.envelopeBandOf = new int[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double hz = k * binHz;
            envelopeBandOf[k] = spec.envelopeBands() == 0 || k == 0 || hz > spec.envelopeMaxHz() ? -1
                    : Math.min(spec.envelopeBands() - 1, (int) ((hz - 1e-9) / (spec.envelopeMaxHz() / spec.envelopeBands())));
        }
        this.envelopeLowBin = (int) Math.ceil(spec.envelopeLowHz() / binHz);
        this.envelopeHighBin = Math.min(n / 2 - 1, (int) Math.floor(spec.envelopeHighHz() / binHz));
    }

    @Override
    public int width() {
        return width * axes;
    }

    @Override
    public boolean add(long timestampMs, double[] values, float[] frame) {
        for (int a = 0; a < axes; a++) {
            ring[head * axes + a] = (float) values[a];
        }
        times[head] = timestampMs;
        head = (head + 1) % n;
        filled = Math.min(filled + 1, n);
        sinceFrame++;
        if (filled < n || sinceFrame < spec.frameHop()) {
            return false;
        }
        sinceFrame = 0;
        frameStart = times[head];   // the ring is full: head is the oldest slot
        frameEnd = timestampMs;
        Work work = Work.of(n);
        for (int a = 0; a < axes; a++) {
            axis(a, work, frame, a * width);
        }
        return true;
    }

    private void axis(int a, Work w, float[] frame, int at) {
        double[] x = w.x;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            x[i] = ring[((head + i) % n) * axes + a];
            mean += x[i];
        }
        mean /= n;
        double m2 = 0;
        double m4 = 0;
        double peak = 0;
        for (int i = 0; i < n; i++) {
            double d = x[i] - mean;
            x[i] = d;
            double d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
            peak = Math.max(peak, Math.abs(d));
        }
        m2 /= n;
        m4 /= n;
        int o = at;
        o = bands(x, w, bandOf, spec.bands(), frame, o);
        if (spec.envelopeBands() > 0) {
            // Band-pass and analytic signal at once: the band's positive-frequency bins doubled, every other bin
            // (negative frequencies included) zeroed, transformed back. The band lies strictly between 0 and
            // n/2, so the real FFT's packed bins (re k at 2k, im k at 2k+1) hold all of it: half a complex FFT.
            double[] r = w.spectrum;
            System.arraycopy(x, 0, r, 0, n);
            w.fft.realForward(r);
            double[] c = w.complex;
            java.util.Arrays.fill(c, 0);
            for (int k = Math.max(1, envelopeLowBin); k <= envelopeHighBin; k++) {
                c[2 * k] = 2 * r[2 * k];
                c[2 * k + 1] = 2 * r[2 * k + 1];
            }
            w.fft.complexInverse(c, true);
            double[] envelope = w.envelope;
            for (int i = 0; i < n; i++) {
                envelope[i] = Math.hypot(c[2 * i], c[2 * i + 1]);
            }
            o = bands(envelope, w, envelopeBandOf, spec.envelopeBands(), frame, o);
        }
        double rms = Math.sqrt(m2);
        frame[o++] = (float) rms;
        frame[o++] = (float) (m2 > 0 ? m4 / (m2 * m2) : 0);
        frame[o++] = (float) (rms > 0 ? peak / rms : 0);
        frame[o++] = (float) peak;
    }

    /** Log10 energies of {@code signal}'s Hann-windowed power spectrum (around its mean) summed per band. */
    private int bands(double[] signal, Work w, int[] bandOfBin, int count, float[] frame, int at) {
        double[] s = w.spectrum;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += signal[i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            s[i] = (signal[i] - mean) * w.hann[i];
        }
        w.fft.realForward(s);
        double[] energy = w.energy;
        java.util.Arrays.fill(energy, 0, count, 0);
        double scale = 1.0 / ((double) n * n);
        for (int k = 1; k < n / 2; k++) {
            int band = bandOfBin[k];
            if (band >= 0) {
                energy[band] += (s[2 * k] * s[2 * k] + s[2 * k + 1] * s[2 * k + 1]) * scale;
            }
        }
        if (bandOfBin[n / 2] >= 0) {
            energy[bandOfBin[n / 2]] += s[1] * s[1] * scale;
        }
        for (int b = 0; b < count; b++) {
            frame[at + b] = (float) Math.log10(energy[b] + ENERGY_FLOOR);
        }
        return at + count;
    }

    @Override
    public long frameStartMs() {
        return frameStart;
    }

    @Override
    public long frameEndMs() {
        return frameEnd;
    }

    @Override
    public void reset() {
        head = 0;
        filled = 0;
        sinceFrame = 0;
    }

    @Override
    public int stateBytes() {
        return 3 * 4 + ring.length * 4 + times.length * 8;
    }

    @Override
    public void write(ByteBuffer out) {
        out.putInt(head).putInt(filled).putInt(sinceFrame);
        for (float v : ring) {
            out.putFloat(v);
        }
        for (long t : times) {
            out.putLong(t);
        }
    }

    @Override
    public void read(ByteBuffer in) {
        head = in.getInt();
        filled = in.getInt();
        sinceFrame = in.getInt();
        for (int i = 0; i < ring.length; i++) {
            ring[i] = in.getFloat();
        }
        for (int i = 0; i < times.length; i++) {
            times[i] = in.getLong();
        }
    }

    /** An FFT plan and work arrays for one frame size, one set per thread. */
    private static final class Work {
        private static final ThreadLocal<Map<Integer, Work>> PER_THREAD = ThreadLocal.withInitial(HashMap::new);

        final DoubleFFT_1D fft;
        final double[] hann;
        final double[] x;
        final double[] spectrum;
        final double[] complex;
        final double[] envelope;
        final double[] energy;

        private Work(int n) {
            fft = new DoubleFFT_1D(n);
            hann = new double[n];
            for (int i = 0; i < n; i++) {
                hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            }
            x = new double[n];
            spectrum = new double[n];
            complex = new double[2 * n];
            envelope = new double[n];
            energy = new double[n / 2 + 1];
        }

        static Work of(int n) {
            return PER_THREAD.get().computeIfAbsent(n, Work::new);
        }
    }
}
