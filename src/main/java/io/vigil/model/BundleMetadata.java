package io.vigil.model;

import java.util.List;

/**
 * Everything in a model bundle besides the weights: what the model expects, how to normalize its
 * input, its threshold, and what it was trained on.
 *
 * @param format      bundle format version (this code writes {@link ModelBundle#FORMAT})
 * @param version     model version id, e.g. {@code vibration-20261125-2150-3fa9c2d1}
 * @param kind        sensor kind (topology name) it was trained for
 * @param features    feature names in input order
 * @param window      samples per window
 * @param hop         samples between windows
 * @param block       raw samples reduced into one before windowing
 * @param blockStat   {@code MEAN} or {@code RMS}
 * @param engine      {@code samediff} (fused lstmLayer) or {@code layers} (DL4J layer API)
 * @param spec        network shape and training hyper-parameters
 * @param normalizer  fitted on the training windows only
 * @param calibration the threshold and how it was chosen
 * @param training    a summary of the training data and run
 * @param createdAt   ISO-8601 instant
 * @param frontEnd    the topology's front-end with every parameter ({@code FrontEndSpec#describe}); null in
 *                    bundles written before front-ends, whose {@code block} and {@code blockStat} say it
 */
public record BundleMetadata(int format, String version, String kind, List<String> features, int window, int hop,
                             int block, String blockStat, String engine, AutoencoderSpec spec, Normalizer normalizer,
                             ThresholdCalibration calibration, TrainingSummary training, String createdAt,
                             String frontEnd) {

    public double threshold() {
        return calibration.threshold();
    }

    /**
     * @param sources        files or scenarios the data came from
     * @param devices        devices trained on (train + validation)
     * @param samples        raw samples read
     * @param trainWindows   windows the network was fitted on
     * @param validationWindows held-out windows used for early stopping and calibration
     * @param epochs         epochs run (early stopping may end before the maximum)
     * @param bestEpoch      the epoch whose weights were kept
     * @param trainLoss      training MSE at the best epoch
     * @param validationLoss validation MSE at the best epoch
     * @param seconds        wall-clock training time
     * @param trainLosses    training MSE after each epoch (on up to 1,024 training windows)
     * @param validationLosses validation MSE after each epoch
     * @param explainedVariance share of the normalized validation windows' variance the kept network
     *                       reconstructs, {@code 1 - MSE / variance} over all features; null in older bundles
     * @param explainedPerFeature the same per model feature, in feature order (NaN where a feature does not
     *                       vary in validation)
     */
    public record TrainingSummary(List<String> sources, int devices, long samples, int trainWindows,
                                  int validationWindows, int epochs, int bestEpoch, double trainLoss,
                                  double validationLoss, double seconds, List<Double> trainLosses,
                                  List<Double> validationLosses, Double explainedVariance,
                                  List<Double> explainedPerFeature) {
    }
}
