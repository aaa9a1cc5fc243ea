package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.profiler.OpProfiler;

/**
 * The Java training step computes what SameDiff would: the same gradient for the graph, and ND4J's
 * Adam update. (It replaces {@code sd.fit}, whose native {@code lstmLayer_bp} leaks; see
 * {@link LstmBackprop}.)
 */
class LstmBackpropTest {

    /** Small on purpose: every gradient entry sums few terms, so the float32 reference stays close. */
    static final AutoencoderSpec SPEC = new AutoencoderSpec(5, 12, 8, 3, 0.01, 42);
    static final int BATCH = 7;

    /**
     * SameDiff computes in float32, the Java pass in double. A gradient entry sums batch × steps = 84
     * products, each the end of a chain through at most 12 steps × 3 layers of about 10 operations:
     * float32 rounding (2^-24 ≈ 6e-8 per operation) over those ≈ 450 operations stays below 3e-5 of
     * the largest term. 1e-4 of the array's largest entry leaves room for terms that cancel.
     */
    static final double GRADIENT_RELATIVE = 1e-4;

    @Test
    void javaGradientsEqualSameDiffsBackPropagationForEveryParameter() {
        // given
        Nd4j.getRandom().setSeed(7);
        INDArray input = Nd4j.rand(DataType.FLOAT, BATCH, SPEC.features(), SPEC.window()).subi(0.5).muli(3);
        SameDiffAutoencoder network = new SameDiffAutoencoder(SPEC);
        LstmBackprop backprop = new LstmBackprop(SPEC, network.parameters());

        // when
        backprop.gradients(input.dup('c').data().asFloat(), BATCH);
        Map<String, double[]> java = backprop.lastGradients();
        Map<String, INDArray> reference = network.sameDiffGradients(input);

        // then
        assertThat(java.keySet()).containsExactlyInAnyOrderElementsOf(reference.keySet());
        reference.forEach((name, expected) -> {
            double[] want = expected.dup('c').data().asDouble();
            double[] got = java.get(name);
            double largest = 0;
            for (double v : want) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertThat(largest).as(name + " has a gradient").isGreaterThan(0);
            for (int i = 0; i < want.length; i++) {
                assertThat(Math.abs(got[i] - want[i])).as(name + "[" + i + "]")
                        .isLessThanOrEqualTo(GRADIENT_RELATIVE * largest);
            }
        });
    }

    /**
     * ND4J's Adam runs in float32 on the same gradient: its update differs by a few float ulps of
     * the step (≤ learning rate 0.01), and the weights are rounded to float afterwards (ulp ≤ 2.4e-7
     * for weights below 2): 1e-6 covers both.
     */
    static final double WEIGHT_ABSOLUTE = 1e-6;

    @Test
    void threeStepsMoveTheWeightsAsNd4jsAdamDoes() {
        // given
        Nd4j.getRandom().setSeed(11);
        INDArray input = Nd4j.rand(DataType.FLOAT, BATCH, SPEC.features(), SPEC.window());
        float[] data = input.dup('c').data().asFloat();
        SameDiffAutoencoder network = new SameDiffAutoencoder(SPEC);
        LstmBackprop backprop = new LstmBackprop(SPEC, network.parameters());
        Map<String, INDArray> expected = network.parameters();
        Map<String, GradientUpdater<?>> adam = new HashMap<>();
        expected.forEach((name, value) -> adam.put(name, new Adam(SPEC.learningRate())
                .instantiate(Nd4j.zeros(DataType.FLOAT, 1, 2 * value.length()), true)));

        for (int step = 0; step < 3; step++) {
            // when
            backprop.fit(data, BATCH);

            // then: the reference applies ND4J's updater to the gradient the step used
            int iteration = step;
            backprop.lastGradients().forEach((name, gradient) -> {
                INDArray update = Nd4j.create(gradient).castTo(DataType.FLOAT).reshape(expected.get(name).shape());
                adam.get(name).applyUpdater(update, iteration, 0);
                expected.get(name).subi(update);
            });
            Map<String, float[]> weights = backprop.weights();
            expected.forEach((name, value) -> {
                float[] want = value.dup('c').data().asFloat();
                float[] got = weights.get(name);
                for (int i = 0; i < want.length; i++) {
                    assertThat((double) Math.abs(got[i] - want[i])).as(name + "[" + i + "] after step " + (iteration + 1))
                            .isLessThanOrEqualTo(WEIGHT_ABSOLUTE);
                }
            });
        }
    }

    /**
     * The regression guard for the leak: {@code sd.fit} ran 47 native ops per step here, among them
     * {@code lstmLayer_bp}, which never frees its activations. A training step of the production
     * network now runs none, so no native op can leak per batch. (Counted by ND4J's op profiler,
     * which sees every op the executioner runs.)
     */
    @Test
    void aTrainingStepOfTheProductionNetworkRunsNoNativeOp() {
        // given: a network past its first step (which copies the weights out of the graph)
        SameDiffAutoencoder network = new SameDiffAutoencoder(SPEC);
        INDArray input = Nd4j.rand(DataType.FLOAT, BATCH, SPEC.features(), SPEC.window());
        network.fitBatch(input);
        OpExecutioner executioner = Nd4j.getExecutioner();
        OpExecutioner.ProfilingMode before = executioner.getProfilingMode();
        executioner.setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        OpProfiler.getInstance().reset();
        long ops;
        try {
            // when
            for (int i = 0; i < 3; i++) {
                network.fitBatch(input);
            }
            ops = OpProfiler.getInstance().getInvocationsCount();
        } finally {
            executioner.setProfilingMode(before);
            OpProfiler.getInstance().reset();
        }

        // then
        assertThat(ops).isZero();
    }
}
