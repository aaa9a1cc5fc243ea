package io.vigil.evaluate;

import io.vigil.model.Window;
import java.util.Arrays;
import java.util.List;

/**
 * A simple detector an evaluation puts next to the model: fitted on the same training windows, scored
 * on the same test windows, thresholded the same way (each device's own warm-up calibration, or a
 * quantile of its scores on the training windows). Scores are "higher = more anomalous".
 */
public interface WindowBaseline {

    /** The windowed Gaussian's name in tables (NAB's bar compares against it). */
    String WINDOWED_GAUSSIAN = "windowed Gaussian";

    /** Short name for tables. */
    String name();

    /** One line saying what it computes. */
    String description();

    /** A baseline fitted on {@code train}; this one is left as it was. */
    WindowBaseline fit(List<Window> train);

    double score(Window window);

    /** A threshold that needs no calibration (flag everything), or null to calibrate like the model. */
    default Double fixedThreshold() {
        return null;
    }

    /** The sensor baselines every evaluation reports, unfitted. */
    static List<WindowBaseline> sensorBaselines() {
        return List.of(new RmsZScore(0, 1), new RobustZ(null, null), new WindowedGaussian(null, null),
                new FlagEverything());
    }

    /**
     * Per-window RMS z-score: the window's RMS over all features (each centred and scaled by its
     * training mean and std), as a z-score against the training windows' RMS values.
     */
    record RmsZScore(double mean, double std, double[] featureMean, double[] featureStd) implements WindowBaseline {

        RmsZScore(double mean, double std) {
            this(mean, std, null, null);
        }

        @Override
        public String name() {
            return "RMS z-score";
        }

        @Override
        public String description() {
            return "|z| of the window's RMS (features standardized on training data) against training windows' RMS";
        }

        @Override
        public WindowBaseline fit(List<Window> train) {
            double[][] moments = FeatureStats.meanStd(train);
            RmsZScore unscaled = new RmsZScore(0, 1, moments[0], moments[1]);
            double[] rms = FeatureStats.meanStd(train.stream().mapToDouble(unscaled::rms).toArray());
            return new RmsZScore(rms[0], rms[1], moments[0], moments[1]);
        }

        double rms(Window w) {
            double sum = 0;
            for (int f = 0; f < w.features(); f++) {
                for (float v : w.values()[f]) {
                    double z = (v - featureMean[f]) / featureStd[f];
                    sum += z * z;
                }
            }
            return Math.sqrt(sum / (w.features() * w.length()));
        }

        @Override
        public double score(Window window) {
            return Math.abs(rms(window) - mean) / std;
        }
    }

    /**
     * Per-feature robust z: each feature's mean absolute deviation over the window from its training
     * median, in units of its training MAD (× 1.4826, a normal std), the largest over features.
     */
    record RobustZ(double[] median, double[] scale) implements WindowBaseline {

        @Override
        public String name() {
            return "robust z";
        }

        @Override
        public String description() {
            return "max over features of the window's mean |v − median| / (1.4826 MAD), median and MAD of training values";
        }

        @Override
        public WindowBaseline fit(List<Window> train) {
            int features = train.get(0).features();
            double[] median = new double[features];
            double[] scale = new double[features];
            for (int f = 0; f < features; f++) {
                double[] values = FeatureStats.values(train, f);
                median[f] = FeatureStats.median(values);
                double m = median[f];
                double mad = 1.4826 * FeatureStats.median(Arrays.stream(values).map(v -> Math.abs(v - m)).toArray());
                // a feature that barely moves in training (MAD 0: a flow held at one value) falls back to its std
                scale[f] = Math.max(1e-12, mad > 1e-9 ? mad : FeatureStats.meanStd(train)[1][f]);
            }
            return new RobustZ(median, scale);
        }

        @Override
        public double score(Window window) {
            double max = 0;
            for (int f = 0; f < window.features(); f++) {
                double sum = 0;
                for (float v : window.values()[f]) {
                    sum += Math.abs(v - median[f]);
                }
                max = Math.max(max, sum / window.length() / scale[f]);
            }
            return max;
        }
    }

    /**
     * NAB's windowed Gaussian: a normal distribution per feature fitted on (a window of) past values,
     * each new value scored by how far out in its tail it lies; here the Gaussian is fitted on the
     * training values and the window's newest sample is scored, |z|, largest over features.
     */
    record WindowedGaussian(double[] mean, double[] std) implements WindowBaseline {

        @Override
        public String name() {
            return WINDOWED_GAUSSIAN;
        }

        @Override
        public String description() {
            return "max over features of |z| of the window's newest sample against a Gaussian fitted on training values";
        }

        @Override
        public WindowBaseline fit(List<Window> train) {
            double[][] moments = FeatureStats.meanStd(train);
            return new WindowedGaussian(moments[0], moments[1]);
        }

        @Override
        public double score(Window window) {
            double max = 0;
            int last = window.length() - 1;
            for (int f = 0; f < window.features(); f++) {
                max = Math.max(max, Math.abs(window.values()[f][last] - mean[f]) / std[f]);
            }
            return max;
        }
    }

    /** Every window anomalous: the floor any detector has to beat on F1. */
    record FlagEverything() implements WindowBaseline {

        @Override
        public String name() {
            return "flag everything";
        }

        @Override
        public String description() {
            return "every window after warm-up is flagged";
        }

        @Override
        public WindowBaseline fit(List<Window> train) {
            return this;
        }

        @Override
        public double score(Window window) {
            return 1;
        }

        @Override
        public Double fixedThreshold() {
            return 0.0;
        }
    }

    /** Per-feature statistics over training windows' values. */
    final class FeatureStats {

        private FeatureStats() {
        }

        /** {mean[], std[]} per feature over every value of every window (std floored at 1e-12). */
        static double[][] meanStd(List<Window> windows) {
            int features = windows.get(0).features();
            double[] mean = new double[features];
            double[] std = new double[features];
            for (int f = 0; f < features; f++) {
                double[] moments = meanStd(values(windows, f));
                mean[f] = moments[0];
                std[f] = moments[1];
            }
            return new double[][] {mean, std};
        }

        /** {mean, std} of {@code values} (std floored at 1e-12, so it can divide). */
        static double[] meanStd(double[] values) {
            double m = Arrays.stream(values).average().orElse(0);
            double s = Math.sqrt(Arrays.stream(values).map(v -> (v - m) * (v - m)).average().orElse(0));
            return new double[] {m, Math.max(1e-12, s)};
        }

        static double[] values(List<Window> windows, int feature) {
            return windows.stream().flatMapToDouble(w -> {
                float[] row = w.values()[feature];
                return java.util.stream.IntStream.range(0, row.length).mapToDouble(t -> row[t]);
            }).toArray();
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
