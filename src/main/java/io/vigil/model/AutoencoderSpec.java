package io.vigil.model;

/**
 * The shape and training hyper-parameters of the LSTM autoencoder.
 *
 * <pre>
 * input      [batch, features, window]
 * encoder0   LSTM features → hidden, full sequence      [batch, hidden, window]
 * encoder1   LSTM hidden → bottleneck, last step only   [batch, bottleneck]
 * repeat     bottleneck repeated over time              [batch, bottleneck, window]
 * decoder0   LSTM bottleneck → hidden, full sequence    [batch, hidden, window]
 * output     dense hidden → features at every step      [batch, features, window]
 * </pre>
 *
 * <p>The bottleneck forces the network to summarise a whole window in a few numbers; it learns to
 * do that for healthy windows only, so an unhealthy window comes back with a large error.
 */
public record AutoencoderSpec(int features, int window, int hidden, int bottleneck, double learningRate,
                              long seed) {

    public static final int DEFAULT_HIDDEN = 16;
    public static final int DEFAULT_BOTTLENECK = 8;
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final long DEFAULT_SEED = 42;

    public static AutoencoderSpec of(int features, int window) {
        return new AutoencoderSpec(features, window, DEFAULT_HIDDEN, DEFAULT_BOTTLENECK, DEFAULT_LEARNING_RATE,
                DEFAULT_SEED);
    }
}
