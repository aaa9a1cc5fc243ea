package io.vigil.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.nd4j.weightinit.impl.ZeroInitScheme;

/**
 * The production autoencoder: a SameDiff graph whose LSTMs are the fused {@code lstmLayer} op
 * (one native call per layer instead of thousands of small ops). Shape: see {@link AutoencoderSpec}.
 *
 * <p>The graph is always built in code and only the weights are saved: {@code SameDiff.load} fails
 * on graphs with {@code lstmLayer} in 1.0.0-M2.1.
 *
 * <p>Training steps run in {@link LstmBackprop}, not {@code sd.fit}: the native {@code lstmLayer_bp}
 * of 1.0.0-M2.1 leaks its activations on every call (see there). The graph computes reconstructions
 * and keeps the loss only as the reference that {@code LstmBackpropTest} checks the Java
 * gradients against; weights move into it before every reconstruction.
 */
public final class SameDiffAutoencoder implements Autoencoder {

    static final String INPUT = "input";
    static final String LABEL = "label";
    static final String OUTPUT = "output";
    static final String LOSS = "loss";

    private final AutoencoderSpec spec;
    private final SameDiff sd;
    private LstmBackprop training;      // made on the first training step, keeps Adam's state
    private boolean trainedSinceSync;   // training holds weights the graph has not seen yet

    public SameDiffAutoencoder(AutoencoderSpec spec) {
        this.spec = spec;
        Nd4j.getRandom().setSeed(spec.seed());
        this.sd = build(spec);
    }

    private static SameDiff build(AutoencoderSpec s) {
        SameDiff sd = SameDiff.create();
        int f = s.features();
        int t = s.window();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, f, t);          // [batch, features, time]
        SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, f, t);

        SDVariable enc0 = lstm(sd, "encoder0", input, f, s.hidden(), true);          // [batch, hidden, time]
        SDVariable code = lstm(sd, "encoder1", enc0, s.hidden(), s.bottleneck(), false); // [batch, bottleneck]
        SDVariable repeated = sd.tile(sd.expandDims(code, 2), 1, 1, t);              // [batch, bottleneck, time]
        SDVariable dec0 = lstm(sd, "decoder0", repeated, s.bottleneck(), s.hidden(), true); // [batch, hidden, time]

        SDVariable w = sd.var("output_W", new XavierInitScheme('c', s.hidden(), f), DataType.FLOAT, s.hidden(), f);
        SDVariable b = sd.var("output_b", new ZeroInitScheme('c'), DataType.FLOAT, f);
        SDVariable perStep = sd.reshape(sd.permute(dec0, 0, 2, 1), -1, s.hidden());  // [batch*time, hidden]
        SDVariable dense = perStep.mmul(w).add(b);                                    // [batch*time, features]
        SDVariable output = sd.permute(OUTPUT, sd.reshape(dense, -1, t, f), 0, 2, 1); // [batch, features, time]

        sd.loss().meanSquaredError(LOSS, label, output, null);
        return sd;
    }

    /** A forward LSTM layer over NST data ([batch, nIn, time]); returns the full sequence or the last output. */
    private static SDVariable lstm(SameDiff sd, String name, SDVariable in, int nIn, int nOut, boolean fullSequence) {
        LSTMLayerWeights weights = LSTMLayerWeights.builder()
                .weights(sd.var(name + "_W", new XavierInitScheme('c', nIn, 4 * nOut), DataType.FLOAT, nIn, 4L * nOut))
                .rWeights(sd.var(name + "_RW", new XavierInitScheme('c', nOut, 4 * nOut), DataType.FLOAT, nOut,
                        4L * nOut))
                .bias(sd.var(name + "_b", new ZeroInitScheme('c'), DataType.FLOAT, 4L * nOut))
                .build();
        LSTMLayerConfig config = LSTMLayerConfig.builder()
                .lstmdataformat(LSTMDataFormat.NST)
                .directionMode(LSTMDirectionMode.FWD)
                .gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH)
                .outAct(LSTMActivations.TANH)
                .retFullSequence(fullSequence)
                .retLastH(!fullSequence)
                .retLastC(false)
                .build();
        SDVariable[] outputs = sd.rnn().lstmLayer(in, weights, config);
        return outputs[0];
    }

    @Override
    public AutoencoderSpec spec() {
        return spec;
    }

    @Override
    public void fitBatch(INDArray batch) {
        if (training == null) {
            training = new LstmBackprop(spec, parameters());
        }
        training.fit(floats(batch), (int) batch.size(0));
        trainedSinceSync = true;
    }

    @Override
    public INDArray reconstruct(INDArray batch) {
        syncWeights();
        return sd.outputSingle(Map.of(INPUT, batch), OUTPUT);
    }

    /** dLoss/dparameter for one batch as SameDiff's own back propagation computes it (the reference in tests). */
    Map<String, INDArray> sameDiffGradients(INDArray batch) {
        syncWeights();
        List<String> names = new ArrayList<>(parameters().keySet());
        return sd.calculateGradients(Map.of(INPUT, batch, LABEL, batch), names);
    }

    /** The batch's values in c order; read straight from the buffer when it is laid out so (no native op). */
    private static float[] floats(INDArray batch) {
        boolean plain = batch.ordering() == 'c' && !batch.isView() && batch.data().length() == batch.length();
        return (plain ? batch : batch.dup('c')).data().asFloat();
    }

    /** Copies the weights {@link #training} moved into the graph's arrays. */
    private void syncWeights() {
        if (!trainedSinceSync) {
            return;
        }
        training.weights().forEach((name, values) -> {
            INDArray target = sd.getVariable(name).getArr();
            target.assign(Nd4j.create(values, target.shape(), 'c'));
        });
        trainedSinceSync = false;
    }

    @Override
    public Map<String, INDArray> parameters() {
        syncWeights();
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                params.put(v.name(), v.getArr().dup());
            }
        }
        return params;
    }

    @Override
    public void setParameters(Map<String, INDArray> parameters) {
        Map<String, INDArray> current = parameters();
        if (!current.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException("parameters " + parameters.keySet() + " do not match the network's "
                    + current.keySet());
        }
        parameters.forEach((name, value) -> {
            INDArray target = sd.getVariable(name).getArr();
            if (!java.util.Arrays.equals(target.shape(), value.shape())) {
                throw new IllegalArgumentException("parameter " + name + " has shape "
                        + java.util.Arrays.toString(value.shape()) + ", the network expects "
                        + java.util.Arrays.toString(target.shape()));
            }
            target.assign(value);
        });
        if (training != null) {
            training.setWeights(parameters);
        }
    }
}
