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
        for (int b = 0; b < batch; b++) {
            double[] perFeature = new double[features];
            double total = 0;
            for (int f = 0; f < features; f++) {
                int base = (b * features + f) * length;
                double sum = 0;
                for (int t = 0; t < length; t++) {
                    double d = in[base + t] - out[base + t];
                    sum += d * d;
                }
                perFeature[f] = sum;
                total += sum;
            }
            for (int f = 0; f < features; f++) {
                perFeature[f] = total > 0 ? perFeature[f] / total : 1.0 / features;
            }
            scores.add(new WindowScore(total / ((double) features * length), perFeature));
        }
        return scores;
    }
}
