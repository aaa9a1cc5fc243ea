package io.vigil.model;

/**
 * @param score        mean squared reconstruction error of the normalized window
 * @param featureShare per feature, its share of the squared error (sums to 1): which axis went wrong
 */
public record WindowScore(double score, double[] featureShare) {
}
