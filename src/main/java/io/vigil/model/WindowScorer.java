package io.vigil.model;

import java.util.List;

/**
 * Scores windows in batches. Implementations are not thread-safe: one thread uses an instance at a
 * time. The stream detector calls it with micro-batches across devices, never one window at a time.
 */
public interface WindowScorer {

    /**
     * @param windows raw windows ({@code [features][time]}, same shape as the model's)
     * @return one score per window, in order
     */
    List<WindowScore> score(List<Window> windows);

    /** Reconstruction error above which a window counts as anomalous. */
    double threshold();

    /** Version id of the model bundle behind the scores. */
    String modelVersion();

    /**
     * A candidate to score, in shadow, the same windows as the last {@link #score} call, or null for none:
     * its scores are published apart and raise no alert.
     */
    default WindowScorer shadow() {
        return null;
    }
}
