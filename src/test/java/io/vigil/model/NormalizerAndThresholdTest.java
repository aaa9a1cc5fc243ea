package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerAndThresholdTest {

    @Test
    void normalizerIsFittedPerFeatureAndAppliedPerFeature() {
        // given: feature 0 is 1,3 (mean 2, std 1); feature 1 is constant 5
        Window a = new Window(0, 10, new float[][] {{1, 3}, {5, 5}});
        Window b = new Window(20, 30, new float[][] {{3, 1}, {5, 5}});

        // when
        Normalizer normalizer = Normalizer.fit(List.of(a, b));
        float[] out = new float[4];
        normalizer.normalizeInto(a, out, 0);

        // then
        assertThat(normalizer).isEqualTo(new Normalizer(new double[] {2, 5}, new double[] {1, Normalizer.MIN_STD}));
        assertThat(out).containsExactly(-1f, 1f, 0f, 0f);
    }

    @Test
    void thresholdIsTheQuantilePushedOutByTheSpreadAboveTheMedian() {
        // given: errors 1..101, median 51, q0.99 = 100
        double[] errors = new double[101];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = i + 1;
        }

        // when
        ThresholdCalibration c = ThresholdCalibration.calibrate(errors, 0.99, 1.0);

        // then
        assertThat(c).isEqualTo(new ThresholdCalibration(0.99, 1.0, 101, 51, 100, 101, 149, 0));
    }

    @Test
    void perDeviceThresholdLetsTheTargetShareOfHealthyDevicesRaise() {
        // given 5 devices; with raiseAfter 2 their peaks (highest error held 2 windows in a row) are 1..4,
        // and the last has too few windows to ever raise
        List<double[]> devices = List.of(new double[] {1, 1, 0}, new double[] {9, 2, 2}, new double[] {3, 3, 9},
                new double[] {0, 4, 4, 0}, new double[] {50});

        // when a quarter of the devices that can raise may do so
        ThresholdCalibration c = ThresholdCalibration.forDeviceShare(devices, 2, 0.25);

        // then the threshold is the peaks' 0.75 quantile: only the device with peak 4 is above it
        assertThat(c).isEqualTo(new ThresholdCalibration(0.75, 0, 14, 2.5, 3.25, 4, 3.25, 4));
    }

    @Test
    void reconstructionErrorSplitsByFeature() {
        // given: one window, 2 features x 2 steps; the error is all in feature 1
        var input = org.nd4j.linalg.factory.Nd4j.create(new float[] {0, 0, 1, 1}, new long[] {1, 2, 2}, 'c');
        var output = org.nd4j.linalg.factory.Nd4j.create(new float[] {0, 0, 0, 3}, new long[] {1, 2, 2}, 'c');

        // when
        WindowScore score = ReconstructionError.of(input, output).get(0);

        // then: squared errors 0,0,1,4 → mean 5/4
        assertThat(score.score()).isEqualTo(1.25);
        assertThat(score.featureShare()).containsExactly(0.0, 1.0);
    }
}
