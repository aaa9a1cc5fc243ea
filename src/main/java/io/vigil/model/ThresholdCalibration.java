package io.vigil.model;

import java.util.Arrays;

/**
 * The alert threshold, chosen without labels from the reconstruction errors of healthy validation
 * windows the network never trained on:
 *
 * <pre>threshold = q(quantile) + margin × (q(quantile) − median)</pre>
 *
 * A high quantile of healthy errors, pushed out by a multiple of the healthy spread above the
 * median. The quantile alone would flag 1 − quantile of healthy windows by construction; the margin
 * allows for devices the validation set did not see. Saved in the bundle with the numbers it came from.
 *
 * @param quantile          e.g. 0.995
 * @param margin            e.g. 1.0
 * @param validationWindows how many healthy windows it was computed from
 * @param median            median healthy error
 * @param quantileValue     the healthy error at {@code quantile}
 * @param max               largest healthy validation error
 * @param threshold         the resulting threshold
 */
public record ThresholdCalibration(double quantile, double margin, int validationWindows, double median,
                                   double quantileValue, double max, double threshold) {

    public static final double DEFAULT_QUANTILE = 0.995;
    public static final double DEFAULT_MARGIN = 1.0;

    public static ThresholdCalibration calibrate(double[] healthyErrors, double quantile, double margin) {
        if (healthyErrors.length == 0) {
            throw new IllegalArgumentException("no validation windows to calibrate the threshold on");
        }
        double[] sorted = healthyErrors.clone();
        Arrays.sort(sorted);
        double median = quantileOf(sorted, 0.5);
        double q = quantileOf(sorted, quantile);
        double threshold = q + margin * (q - median);
        return new ThresholdCalibration(quantile, margin, sorted.length, median, q, sorted[sorted.length - 1],
                threshold);
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantileOf(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
