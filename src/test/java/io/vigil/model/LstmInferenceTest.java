package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.testkit.TestModels;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Java scoring engine gives the reference path's scores: the SameDiff graph through ND4J. */
class LstmInferenceTest {

    @ParameterizedTest(name = "{0} feature(s)")
    @ValueSource(ints = {1, 3, 8})
    void squaredErrorsEqualTheGraphsOnATrainedNetworkAcrossBlockBoundaries(int features) {
        // given: a network trained a few steps off its initial weights (biases and all), and a batch
        // that is not a multiple of the engine's block; univariate, vibration-like and pump-like inputs
        AutoencoderSpec spec = new AutoencoderSpec(features, 64, 16, 8, 0.01, 7);
        SameDiffAutoencoder network = new SameDiffAutoencoder(spec);
        Nd4j.getRandom().setSeed(3);
        int batch = 2 * LstmInference.BLOCK + 5;
        INDArray input = Nd4j.randn(DataType.FLOAT, batch, features, 64);
        for (int i = 0; i < 5; i++) {
            network.fitBatch(input);
        }
        List<WindowScore> reference = ReconstructionError.of(input, network.reconstruct(input));

        // when
        double[] sums = new double[batch * features];
        LstmInference.of(network).squaredErrors(input.dup('c').data().asFloat(), batch, sums);

        // then
        List<WindowScore> engine = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            engine.add(ReconstructionError.fromSums(sums, b * features, features, 64));
        }
        assertSameScores(spec, engine, reference);
    }

    @Test
    void theBundleScorersEnginesAgreeOnHealthyAndFaultyWindowsOfATrainedModel() {
        // given: the shared test model and real windows from the fault fleet, of every fault kind
        SensorKind kind = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
        ModelBundle bundle = ModelBundle.load(TestModels.vibration(kind));
        List<Window> windows = new ArrayList<>();
        for (DeviceSeries device : Fleet.of(ScenarioLoader.load(Path.of("simulator/faults.yaml")))
                .generate(Fleet.REPRODUCIBLE_START_MS, 150)) {
            windows.addAll(Windows.cut(device, Windower.Shape.of(kind)));
        }

        // when: more windows than one engine call takes, so batches split too
        BundleScorer java = new BundleScorer(bundle, "java");
        List<WindowScore> engine = java.score(windows);
        List<WindowScore> reference = new BundleScorer(bundle, "nd4j").score(windows);

        // then
        assertThat(java.engine()).isEqualTo("java");
        assertThat(windows).hasSizeGreaterThan(BundleScorer.MAX_BATCH);
        assertSameScores(bundle.metadata().spec(), engine, reference);
        assertThat(reference.stream().filter(s -> s.score() > bundle.metadata().threshold()).count())
                .as("faulty windows over the threshold").isGreaterThan(100);
    }

    @Test
    void autoPicksTheJavaEngineOnTheCpuBackend() {
        SensorKind kind = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
        ModelBundle bundle = ModelBundle.load(TestModels.vibration(kind));

        assertThat(new BundleScorer(bundle, "auto").engine()).isEqualTo(Backend.isGpu() ? "nd4j" : "java");
        assertThat(new BundleScorer(bundle, "nd4j").engine()).isEqualTo("nd4j");
    }

    @Test
    void tanhIsWithinFloatPrecisionEverywhere() {
        double worst = 0;
        for (float v = -20f; v <= 20f; v += 1e-3f) {
            worst = Math.max(worst, Math.abs(LstmInference.tanh(v) - Math.tanh(v)));
        }
        assertThat(worst).isLessThan(EngineTolerance.ACTIVATION_ERROR);
    }

    /**
     * Equal within what float32 arithmetic in another order allows, derived from the network's shape
     * and each window's score in {@link EngineTolerance} (the same bound on every CPU: ND4J's kernels,
     * and so its rounding, change with the CPU; the Java engine's do not).
     */
    private static void assertSameScores(AutoencoderSpec spec, List<WindowScore> actual, List<WindowScore> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            WindowScore reference = expected.get(i);
            assertThat(actual.get(i).score()).as("window %d", i)
                    .isCloseTo(reference.score(), within(EngineTolerance.score(spec, reference.score())));
            for (int f = 0; f < reference.featureShare().length; f++) {
                assertThat(actual.get(i).featureShare()[f]).as("window %d feature %d share", i, f)
                        .isCloseTo(reference.featureShare()[f], within(EngineTolerance.share(spec, reference, f)));
            }
        }
    }
}
