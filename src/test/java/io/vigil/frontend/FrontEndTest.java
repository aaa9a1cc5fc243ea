package io.vigil.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.model.Window;
import io.vigil.model.Windower;
import io.vigil.kind.SensorKind.Rolling;
import io.vigil.kind.SensorKind.Spectrum;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The front-ends on signals whose features are known in closed form, and their state across a restart. */
class FrontEndTest {

    /** 20 kHz, frames of 1,024 (19.5 Hz bins), 8 bands 40 Hz - 10 kHz, 5 envelope bands to 500 Hz of 2-9 kHz. */
    static final Spectrum SPECTRUM = new Spectrum(20_000, 1024, 256, 8, 40, 10_000, 5, 2_000, 9_000, 500);
    static final int WIDTH = 8 + 5 + 4;
    static final Spectrum SPECTRUM_EVERY_128 = new Spectrum(20_000, 1024, 128, 8, 40, 10_000, 5, 2_000, 9_000, 500);

    @Test
    void aSineLandsInItsBandWithTheStatisticsOfASine() {
        // given: amplitude 0.5 at 996 Hz (bin 51: exactly 51 periods in a frame), on one axis
        FrontEnd frontEnd = FrontEnd.of(SPECTRUM, 1);
        float[] frame = new float[frontEnd.width()];

        // when: exactly one frame
        boolean done = false;
        for (int i = 0; i < 1024; i++) {
            done = frontEnd.add(i, new double[] {0.5 * Math.sin(2 * Math.PI * 51 * i / 1024.0)}, frame);
        }

        // then: 996 Hz lies in band 4 (edges 40 x 2.237^k: 632-1261 Hz), the loudest by far; RMS a/sqrt 2, crest
        // sqrt 2, kurtosis 1.5, peak a (51 is odd, so some sample sits exactly on the crest). A whole number of
        // periods makes these exact in double arithmetic (sums of 1,024 terms: ~1e-13 off); the tolerances are the
        // float32 rounding of the stored frame (values below 2: ulp 2.4e-7), with room.
        assertThat(done).isTrue();
        int loudest = argMax(frame, 0, 8);
        assertThat(loudest).isEqualTo(4);
        assertThat(frame[loudest] - secondLargest(frame, 0, 8)).isGreaterThan(2); // 100x the energy of any other band
        assertThat(frame[13]).isCloseTo((float) (0.5 / Math.sqrt(2)), within(1e-6f));
        assertThat(frame[14]).isCloseTo(1.5f, within(1e-5f));
        assertThat(frame[15]).isCloseTo((float) Math.sqrt(2), within(1e-5f));
        assertThat(frame[16]).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void theEnvelopeSpectrumFindsTheRateThatModulatesAResonance() {
        // given: a 5 kHz resonance whose amplitude pulses 150 times a second (an impact rate), plus noise
        FrontEnd frontEnd = FrontEnd.of(SPECTRUM, 1);
        float[] frame = new float[frontEnd.width()];
        Random random = new Random(1);

        // when
        for (int i = 0; i < 1024; i++) {
            double t = i / 20_000.0;
            double envelope = 1 + 0.8 * Math.cos(2 * Math.PI * 150 * t);
            frontEnd.add(i, new double[] {envelope * Math.sin(2 * Math.PI * 5_000 * t) + 0.05 * random.nextGaussian()},
                    frame);
        }

        // then: envelope band 1 (100-200 Hz) holds the 150 Hz modulation, 10x the energy of every other
        assertThat(argMax(frame, 8, 5)).isEqualTo(1);
        assertThat(frame[8 + 1] - secondLargest(frame, 8, 5)).isGreaterThan(1);
    }

    @Test
    void framesComeEveryFrameHopOnceTheFirstIsFullTimedFromFirstToLastSample() {
        // given
        FrontEnd frontEnd = FrontEnd.of(SPECTRUM, 2);
        float[] frame = new float[frontEnd.width()];
        List<long[]> times = new ArrayList<>();

        // when: 1,024 + 2 x 256 samples, 1 ms apart from t = 1,000
        for (int i = 0; i < 1024 + 512; i++) {
            if (frontEnd.add(1000 + i, new double[] {Math.sin(i), Math.cos(i)}, frame)) {
                times.add(new long[] {frontEnd.frameStartMs(), frontEnd.frameEndMs()});
            }
        }

        // then
        assertThat(frontEnd.width()).isEqualTo(2 * WIDTH);
        assertThat(times).containsExactly(new long[] {1000, 2023}, new long[] {1256, 2279}, new long[] {1512, 2535});
    }

    @Test
    void aSpectrumWindowerRestoredFromItsBytesMidFrameCutsTheSameWindowsBitForBit() {
        // given: 3 axes, windows of 4 frames, hop 2; the state is taken mid-frame and mid-hop
        Windower.Shape shape = new Windower.Shape(3, 4, 2, SPECTRUM, 1_000);
        Windower original = new Windower(shape);
        List<Window> fromOriginal = new ArrayList<>();
        List<Window> fromRestored = new ArrayList<>();
        Random random = new Random(7);
        double[][] samples = new double[5000][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = new double[] {random.nextGaussian(), Math.sin(i * 0.3), random.nextGaussian() * 0.01};
        }
        for (int i = 0; i < 1900; i++) {
            original.add(i, samples[i], fromOriginal::add);
        }

        // when
        Windower restored = Windower.fromBytes(shape, original.toBytes());
        for (int i = 1900; i < samples.length; i++) {
            original.add(i, samples[i], fromOriginal::add);
            restored.add(i, samples[i], fromRestored::add);
        }

        // then
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());
        assertThat(fromRestored).hasSize(6).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(fromOriginal.subList(fromOriginal.size() - fromRestored.size(), fromOriginal.size()));
        assertThat(fromRestored.get(0).features()).isEqualTo(3 * WIDTH);
    }

    @Test
    void rollingFramesCarryLevelChangeAndTheSpansMeanAndStd() {
        // given: span 3
        FrontEnd frontEnd = FrontEnd.of(new Rolling(3), 1);
        float[] frame = new float[4];
        List<List<Float>> frames = new ArrayList<>();

        // when: 1, 2, 4, 8
        double[] values = {1, 2, 4, 8};
        for (int i = 0; i < values.length; i++) {
            if (frontEnd.add(i, new double[] {values[i]}, frame)) {
                frames.add(List.of(frame[0], frame[1], frame[2], frame[3]));
            }
        }

        // then: from the third sample on; std of {1,2,4} is sqrt(14/9), of {2,4,8} sqrt(56/9) (population)
        assertThat(frames).containsExactly(
                List.of(4f, 2f, 7f / 3, (float) Math.sqrt(14.0 / 9)),
                List.of(8f, 4f, 14f / 3, (float) Math.sqrt(56.0 / 9)));
    }

    private static int argMax(float[] v, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            best = v[from + i] > v[from + best] ? i : best;
        }
        return best;
    }

    private static float secondLargest(float[] v, int from, int count) {
        int best = argMax(v, from, count);
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            second = i != best ? Math.max(second, v[from + i]) : second;
        }
        return second;
    }
}
