package io.vigil.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-window reconstruction error: the anomaly score and how it splits across features. */
public final class ReconstructionError {

    private ReconstructionError() {
    }

    /**
     * @param input  normalized windows {@code [batch, features, time]}
     * @param output the autoencoder's reconstruction, same shape
     * @return per window: mean squared error over all features and steps, and each feature's share of it
     */
    public static List<WindowScore> of(INDArray input, INDArray output) {
        int batch = (int) input.size(0);
        int features = (int) input.size(1);
        int length = (int) input.size(2);
        float[] in = input.dup('c').data().asFloat();
        float[] out = output.dup('c').data().asFloat();
        List<WindowScore> scores = new ArrayList<>(batch);
        double[] sums = new double[features];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < features; f++) {
                int base = (b * features + f) * length;
                double sum = 0;
                for (int t = 0; t < length; t++) {
                    double d = in[base + t] - out[base + t];
                    sum += d * d;
                }
                sums[f] = sum;
            }
            scores.add(fromSums(sums, 0, features, length));
        }
        return scores;
    }

    /**
     * A window's score from its per-feature sums of squared error, {@code sums[offset + f]}: the mean
     * over features × steps, and each feature's share of the total.
     */
    static WindowScore fromSums(double[] sums, int offset, int features, int length) {
        double total = 0;
        for (int f = 0; f < features; f++) {
            total += sums[offset + f];
        }
        double[] share = new double[features];
        for (int f = 0; f < features; f++) {
            share[f] = total > 0 ? sums[offset + f] / total : 1.0 / features;
        }
        return new WindowScore(total / ((double) features * length), share);
    }
}
