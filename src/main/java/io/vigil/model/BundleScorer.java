package io.vigil.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores raw windows with a bundle: normalize with the bundle's normalizer, reconstruct in batches
 * of at most {@link #MAX_BATCH}, and measure the error. One network call per batch, never per window.
 */
public final class BundleScorer implements WindowScorer {

    /** Largest batch handed to the network at once; larger lists are split. */
    public static final int MAX_BATCH = 512;

    private final ModelBundle bundle;

    BundleScorer(ModelBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public List<WindowScore> score(List<Window> windows) {
        List<WindowScore> scores = new ArrayList<>(windows.size());
        for (int from = 0; from < windows.size(); from += MAX_BATCH) {
            List<Window> chunk = windows.subList(from, Math.min(windows.size(), from + MAX_BATCH));
            INDArray input = Windows.batch(chunk, bundle.metadata().normalizer());
            scores.addAll(ReconstructionError.of(input, bundle.network().reconstruct(input)));
        }
        return scores;
    }

    @Override
    public double threshold() {
        return bundle.metadata().threshold();
    }

    @Override
    public String modelVersion() {
        return bundle.metadata().version();
    }
}
