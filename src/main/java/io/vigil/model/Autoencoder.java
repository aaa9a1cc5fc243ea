package io.vigil.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An LSTM autoencoder over windows shaped {@code [batch, features, time]}; not thread-safe. */
public interface Autoencoder {

    AutoencoderSpec spec();

    /** One optimizer step on a mini-batch of normalized windows. */
    void fitBatch(INDArray batch);

    /** Reconstruction of normalized windows, same shape as the input. */
    INDArray reconstruct(INDArray batch);

    /** Trainable parameters by stable name (copies). */
    Map<String, INDArray> parameters();

    /** Replaces every trainable parameter; names and shapes must match {@link #parameters()}. */
    void setParameters(Map<String, INDArray> parameters);
}
