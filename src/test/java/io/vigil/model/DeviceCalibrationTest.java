package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind.BlockStat;
import io.vigil.kind.SensorKind.Calibrate;
import io.vigil.kind.SensorKind.Likelihood;
import io.vigil.kind.SensorKind.Rolling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each device's own normal: standardizing statistics, then a threshold, from its warm-up windows. */
class DeviceCalibrationTest {

    /** One feature, window 2, hop 1: values 10, 12, 10, 12, … so each window's samples are known. */
    private static final Windower.Shape SHAPE = new Windower.Shape(1, 2, 1, 1, BlockStat.MEAN, 1000);

    private static DeviceSeries series(double... values) {
        long[] ts = new long[values.length];
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            ts[i] = 1000 + i;
            rows[i] = new double[] {values[i]};
        }
        return new DeviceSeries("d", ts, rows, null);
    }

    @Test
    void theFirstHalfStandardizesTheSecondHalfSetsTheThresholdAndTheWarmUpJudgesNothing() {
        // given: 4 warm-up windows; windows 1-2 cover samples 10, 12, 10 (each counted once): mean 32/3
        DeviceCalibration calibration = new DeviceCalibration(new Calibrate(4, true, 1.0, 0.0), 1);
        List<Window> windows = Windows.cut(series(10, 12, 10, 12, 10, 40), SHAPE);
        double mean = 32.0 / 3;
        double std = Math.sqrt((100 + 144 + 100) / 3.0 - mean * mean);

        // when: the windows are cut, then scored with a score = the window's last standardized value
        DeviceCalibration.State state = DeviceCalibration.State.fresh(1);
        List<Window> scored = new ArrayList<>();
        for (Window w : windows) {
            DeviceCalibration.Cut cut = calibration.cut(state, w);
            state = cut.state();
            scored.add(cut.window());
        }
        List<Double> thresholds = new ArrayList<>();
        for (Window w : scored) {
            DeviceCalibration.Judged judged = calibration.scored(state, w.values()[0][1]);
            state = judged.state();
            thresholds.add(judged.threshold());
        }

        // then: windows 1-2 are raw, 3-5 standardized with the first two windows' samples
        assertThat(state.mean()[0]).isEqualTo(mean);
        assertThat(state.std()[0]).isEqualTo(std);
        assertThat(scored.get(0).values()[0]).containsExactly(10f, 12f);
        // float tolerance: one float rounding of a value near 1 (2^-24 relative)
        assertThat(scored.get(4).values()[0][1]).isCloseTo((float) ((40 - mean) / std), org.assertj.core.api.Assertions.within(1e-6f));
        // windows 3 and 4 end in 10 and 12: the threshold is the larger (quantile 1, margin 0); warm-up judges nothing
        assertThat(thresholds).containsExactly(null, null, null, null, (double) (float) ((12 - mean) / std));
        assertThat(state.warmScores()).isNull();
    }

    @Test
    void aSeriesIsStandardizedForTrainingAsItsWindowsAreAndAShortOneCannotBe() {
        DeviceCalibration calibration = new DeviceCalibration(new Calibrate(4, true, 0.99, 1.0), 1);
        DeviceSeries standardized = calibration.standardize(series(10, 12, 10, 12, 10, 40), SHAPE);
        double mean = 32.0 / 3;
        double std = Math.sqrt((100 + 144 + 100) / 3.0 - mean * mean);

        assertThat(standardized.values()[5][0]).isEqualTo((40 - mean) / std);
        assertThat(calibration.standardize(series(10, 12), SHAPE)).isNull();
        assertThat(calibration.warmupEnd(Windows.cut(series(10, 12, 10, 12, 10, 40), SHAPE))).isEqualTo(1004L);
    }

    @Test
    void aRollingFrontEndsFramesAreStandardizedAsTrainingStandardizesTheRawSeries() {
        // given: frames of level, change, rolling mean and std over 2 samples; windows of 2 frames
        Rolling rolling = new Rolling(2);
        Windower.Shape shape = new Windower.Shape(1, 2, 1, rolling, 1000);
        DeviceCalibration calibration = new DeviceCalibration(new Calibrate(4, true, 1.0, 0.0), 1, rolling);
        DeviceSeries raw = series(10, 12, 10, 12, 10, 40, 11);

        // when: scoring standardizes each window of frames as it is cut; training standardizes the raw series
        DeviceCalibration.State state = DeviceCalibration.State.fresh(1);
        List<Window> scored = new ArrayList<>();
        for (Window w : Windows.cut(raw, shape)) {
            DeviceCalibration.Cut cut = calibration.cut(state, w);
            state = cut.state();
            scored.add(cut.window());
        }
        List<Window> trained = Windows.cut(calibration.standardize(raw, shape), shape);

        // then: the level statistics are those of the frames' levels 12, 10, 12, and both paths give
        // the same windows after the standardizing ones (levels and means shifted and scaled, changes
        // and spreads only scaled)
        double mean = 34.0 / 3;
        assertThat(state.mean()[0]).isEqualTo(mean);
        assertThat(trained).hasSameSizeAs(scored);
        for (int i = 2; i < scored.size(); i++) {
            for (int f = 0; f < 4; f++) {
                // float tolerance: values are at most |40 - 11.3| / 0.94 ≈ 31 in std units; each path rounds
                // them to float at most 4 times (2^-24 relative each): 4 × 32 × 2^-24 ≈ 7.6e-6
                assertThat(scored.get(i).values()[f]).as("window %d, output %d", i, f)
                        .containsExactly(trained.get(i).values()[f], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }
    @Test
    void withALikelihoodTheWarmUpLearnsItsGaussianAndLaterWindowsAreJudgedByTheirLikelihood() {
        // given: no standardizing, so all 4 warm-up scores calibrate; short mean of 2, long span 3
        DeviceCalibration calibration = new DeviceCalibration(
                new Calibrate(4, false, 1.0, 0.0, new Likelihood(2, 3, 0.9)), 1);

        // when: scores 1, 3, 5, 3 (the warm-up), then 7 and 3
        DeviceCalibration.State state = DeviceCalibration.State.fresh(1);
        List<DeviceCalibration.Judged> judged = new ArrayList<>();
        for (double score : new double[] {1, 3, 5, 3, 7, 3}) {
            DeviceCalibration.Judged j = calibration.scored(state, score);
            judged.add(j);
            state = j.state();
        }

        // then: the warm-up judges nothing and passes its scores on; afterwards the short means 5 and 5
        // are judged against the warm-up's Gaussian (mean 2.75, variance 1.6875), then against it moved
        // by 5 (mean 3.875, variance 2.109375), and the likelihood's threshold is the device's
        double second = 1 - 0.5 * org.apache.commons.math3.special.Erf.erfc(
                (5 - 3.875) / (Math.sqrt(2.109375) * Math.sqrt(2)));
        assertThat(judged).extracting(DeviceCalibration.Judged::threshold)
                .containsExactly(null, null, null, null, 0.9, 0.9);
        assertThat(judged.subList(0, 4)).extracting(DeviceCalibration.Judged::value).containsExactly(1.0, 3.0, 5.0, 3.0);
        assertThat(judged.get(4).value()).isCloseTo(0.9583677416682, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(judged.get(5).value()).isEqualTo(second);
        assertThat(state.likelihood()).usingRecursiveComparison()
                .isEqualTo(new AnomalyLikelihood.State(new double[] {3}, 4.4375, 1.37109375));
        assertThat(state.warmScores()).isNull();
    }

    @Test
    void aDeviceCalibratedBeforeTheLikelihoodWasConfiguredKeepsItsThreshold() {
        // given: a stored state whose warm-up set a score threshold of 2.5, no likelihood state
        DeviceCalibration calibration = new DeviceCalibration(
                new Calibrate(4, false, 1.0, 0.0, new Likelihood(2, 3, 0.9)), 1);
        DeviceCalibration.State before = new DeviceCalibration.State(4, 4, 0, new double[1], new double[1], null, null,
                null, 2.5, null);

        // when
        DeviceCalibration.Judged judged = calibration.scored(before, 3.0);

        // then: the score is held against that threshold, nothing fails
        assertThat(judged.threshold()).isEqualTo(2.5);
        assertThat(judged.value()).isEqualTo(3.0);
        assertThat(judged.state().scored()).isEqualTo(5);
    }
}
