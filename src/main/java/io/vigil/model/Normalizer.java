package io.vigil.model;

import java.util.Arrays;
import java.util.List;

/**
 * Per-feature standardization ((v − mean) / std) fitted on training windows only and saved in the
 * model bundle; scoring restores exactly this normalizer, never refits one.
 */
public record Normalizer(double[] mean, double[] std) {

    /** Floor for a feature's std so that a constant feature does not divide by zero. */
    static final double MIN_STD = 1e-6;

    public Normalizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std have different lengths");
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Normalizer fit(List<Window> windows) {
        int features = windows.get(0).features();
        double[] sum = new double[features];
        double[] sumSq = new double[features];
        long n = 0;
        for (Window w : windows) {
            for (int f = 0; f < features; f++) {
                for (float v : w.values()[f]) {
                    sum[f] += v;
                    sumSq[f] += (double) v * v;
                }
            }
            n += w.length();
        }
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int f = 0; f < features; f++) {
            mean[f] = sum[f] / n;
            std[f] = Math.max(MIN_STD, Math.sqrt(Math.max(0, sumSq[f] / n - mean[f] * mean[f])));
        }
        return new Normalizer(mean, std);
    }

    public int features() {
        return mean.length;
    }

    /** Writes the normalized window into {@code out} at {@code offset}, laid out {@code [feature][time]}. */
    public void normalizeInto(Window window, float[] out, int offset) {
        int length = window.length();
        for (int f = 0; f < mean.length; f++) {
            float[] row = window.values()[f];
            float m = (float) mean[f];
            float s = (float) std[f];
            int base = offset + f * length;
            for (int t = 0; t < length; t++) {
                out[base + t] = (row[t] - m) / s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
