package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.model.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sensor baselines on windows whose statistics are known by hand. */
class WindowBaselineTest {

    static Window window(float[]... features) {
        return new Window(0, 0, features);
    }

    /** Two training windows of one feature: values -1, 1, -1, 1 (mean 0, std 1, median 0, MAD 1). */
    static final List<Window> TRAIN = List.of(window(new float[] {-1, 1}), window(new float[] {-1, 1}));

    @Test
    void robustZIsTheMeanAbsoluteDeviationFromTheMedianInMadUnits() {
        WindowBaseline b = new WindowBaseline.RobustZ(null, null).fit(TRAIN);

        // mean |v - 0| over (3, 5) = 4, MAD scale 1.4826
        assertThat(b.score(window(new float[] {3, 5}))).isCloseTo(4 / 1.4826, within(1e-12));
    }

    @Test
    void windowedGaussianScoresTheNewestSample() {
        WindowBaseline b = new WindowBaseline.WindowedGaussian(null, null).fit(TRAIN);

        assertThat(b.score(window(new float[] {100, -3}))).isEqualTo(3.0);
    }

    @Test
    void rmsZScoreComparesTheWindowsRmsWithTheTrainingWindows() {
        // every training window has RMS 1 (std of the RMS 0, floored): a window of RMS 1 scores 0, RMS 2 scores far out
        WindowBaseline b = new WindowBaseline.RmsZScore(0, 1).fit(TRAIN);

        assertThat(b.score(window(new float[] {1, -1}))).isEqualTo(0.0);
        assertThat(b.score(window(new float[] {2, -2}))).isGreaterThan(1e6);
    }

    @Test
    void flagEverythingNeedsNoCalibration() {
        WindowBaseline b = new WindowBaseline.FlagEverything().fit(TRAIN);

        assertThat(b.score(window(new float[] {0, 0}))).isGreaterThan(b.fixedThreshold());
    }
}
