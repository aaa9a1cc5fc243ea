package io.vigil.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The same autoencoder as {@link SameDiffAutoencoder} (same {@link AutoencoderSpec}) built with
 * DL4J's layer API. Kept as the reference path for benchmarks: each LSTM layer here runs as many
 * small native ops, which costs 25–60 ms per forward call on a small CPU whatever the batch.
 */
public final class LayerAutoencoder implements Autoencoder {

    private final AutoencoderSpec spec;
    private final MultiLayerNetwork net;

    public LayerAutoencoder(AutoencoderSpec s) {
        this.spec = s;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .updater(new Adam(s.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().name("encoder0").nIn(s.features()).nOut(s.hidden())
                        .activation(Activation.TANH).build())
                .layer(new LastTimeStep(new LSTM.Builder().name("encoder1").nIn(s.hidden()).nOut(s.bottleneck())
                        .activation(Activation.TANH).build()))
                .layer(new RepeatVector.Builder(s.window()).name("repeat").build())
                .layer(new LSTM.Builder().name("decoder0").nIn(s.bottleneck()).nOut(s.hidden())
                        .activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).name("output")
                        .nIn(s.hidden()).nOut(s.features()).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(s.features(), s.window()))
                .build();
        this.net = new MultiLayerNetwork(conf);
        net.init();
    }

    @Override
    public AutoencoderSpec spec() {
        return spec;
    }

    @Override
    public void fitBatch(INDArray batch) {
        net.fit(batch, batch);
    }

    @Override
    public INDArray reconstruct(INDArray batch) {
        return net.output(batch, false);
    }

    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> params = new LinkedHashMap<>();
        net.paramTable().forEach((name, value) -> params.put(name, value.dup()));
        return params;
    }

    @Override
    public void setParameters(Map<String, INDArray> parameters) {
        net.paramTable().forEach((name, target) -> {
            INDArray value = parameters.get(name);
            if (value == null || !java.util.Arrays.equals(value.shape(), target.shape())) {
                throw new IllegalArgumentException("parameter " + name + " missing or of the wrong shape");
            }
            target.assign(value);
        });
    }
}
