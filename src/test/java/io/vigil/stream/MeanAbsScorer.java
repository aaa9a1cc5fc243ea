package io.vigil.stream;

import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic stand-in for the autoencoder: score = mean |value| of the window, feature share =
 * the feature's share of the summed |value|. Records the size of every call to check batching.
 */
final class MeanAbsScorer implements WindowScorer {

    static final String VERSION = "test-1";

    private final double threshold;
    private final List<Integer> batchSizes = new ArrayList<>();

    MeanAbsScorer(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public List<WindowScore> score(List<Window> windows) {
        batchSizes.add(windows.size());
        return windows.stream().map(MeanAbsScorer::scoreOne).toList();
    }

    static WindowScore scoreOne(Window window) {
        double[] sums = new double[window.features()];
        double total = 0;
        for (int f = 0; f < window.features(); f++) {
            for (float v : window.values()[f]) {
                sums[f] += Math.abs(v);
            }
            total += sums[f];
        }
        double[] shares = new double[sums.length];
        for (int f = 0; f < sums.length; f++) {
            shares[f] = total == 0 ? 0 : sums[f] / total;
        }
        return new WindowScore(total / (window.features() * window.length()), shares);
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public String modelVersion() {
        return VERSION;
    }

    List<Integer> batchSizes() {
        return batchSizes;
    }
}
