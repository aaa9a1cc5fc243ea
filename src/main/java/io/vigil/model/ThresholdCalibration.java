package io.vigil.model;

import java.util.Arrays;
import java.util.List;

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
 * <p>Per-device form ({@link #forDeviceShare}), for fleets judged by how many healthy devices ever
 * alert: each healthy validation device's peak (the highest error it holds for {@code raiseAfter}
 * windows in a row, i.e. the lowest threshold at which it would raise an alert); the threshold is the
 * peak at {@code quantile = 1 − share}, so about {@code share} of those devices would raise one.
 * {@code median} and {@code max} are then over peaks, {@code margin} is 0 and {@code devices} is how
 * many devices; {@code devices} is 0 in the window form.
 *
 * @param quantile          e.g. 0.995
 * @param margin            e.g. 1.0
 * @param validationWindows how many healthy windows it was computed from
 * @param median            median healthy error
 * @param quantileValue     the healthy error at {@code quantile}
 * @param max               largest healthy validation error
 * @param threshold         the resulting threshold
 * @param devices           per-device form: healthy validation devices the peaks came from; 0 otherwise
 */
public record ThresholdCalibration(double quantile, double margin, int validationWindows, double median,
                                   double quantileValue, double max, double threshold, int devices) {

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
                threshold, 0);
    }

    /**
     * Per-device form: the threshold at which about {@code share} of the healthy validation devices
     * would raise an alert.
     *
     * @param perDevice  each device's validation errors, in time order
     * @param raiseAfter windows over threshold in a row that raise an alert
     * @param share      target share of healthy devices alerted, in (0, 1)
     */
    public static ThresholdCalibration forDeviceShare(List<double[]> perDevice, int raiseAfter, double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("healthy device share must be in (0, 1), got " + share);
        }
        double[] peaks = perDevice.stream().filter(e -> e.length >= raiseAfter)
                .mapToDouble(e -> peak(e, raiseAfter)).sorted().toArray();
        if (peaks.length == 0) {
            throw new IllegalArgumentException("no validation device with " + raiseAfter + " windows to calibrate on");
        }
        int windows = perDevice.stream().mapToInt(e -> e.length).sum();
        double q = quantileOf(peaks, 1 - share);
        return new ThresholdCalibration(1 - share, 0, windows, quantileOf(peaks, 0.5), q, peaks[peaks.length - 1], q,
                peaks.length);
    }

    /** Highest value held by {@code run} consecutive errors: max over i of min(errors[i .. i+run-1]). */
    static double peak(double[] errors, int run) {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i + run <= errors.length; i++) {
            double low = Double.POSITIVE_INFINITY;
            for (int j = i; j < i + run; j++) {
                low = Math.min(low, errors[j]);
            }
            best = Math.max(best, low);
        }
        return best;
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantileOf(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
