package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Both engines build the same shape: output equals input shape, parameters round-trip. */
class AutoencoderTest {

    static final AutoencoderSpec SPEC = new AutoencoderSpec(5, 12, 8, 3, 0.01, 42);

    @ParameterizedTest
    @ValueSource(strings = {"samediff", "layers"})
    void outputShapeEqualsInputShape(String engine) {
        Autoencoder network = ModelBundle.newNetwork(engine, SPEC);
        INDArray input = Nd4j.rand(DataType.FLOAT, 7, 5, 12);

        assertThat(network.reconstruct(input).shape()).containsExactly(7, 5, 12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"samediff", "layers"})
    void parametersCopiedIntoAFreshNetworkGiveTheSameOutput(String engine) {
        // given: a network trained one step away from its initial weights
        Autoencoder trained = ModelBundle.newNetwork(engine, SPEC);
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 5, 12);
        trained.fitBatch(input);

        // when
        Autoencoder copy = ModelBundle.newNetwork(engine, new AutoencoderSpec(5, 12, 8, 3, 0.01, 99));
        copy.setParameters(trained.parameters());

        // then: the same output within float32 rounding through this shape (inputs in [0, 1): magnitude 1);
        // usually bit for bit, but a native kernel may regroup a sum from one call to the next
        double rounding = EngineTolerance.reconstruction(SPEC, 1);
        assertThat(copy.reconstruct(input).equalsWithEps(trained.reconstruct(input), rounding)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"samediff", "layers"})
    void trainingLowersTheReconstructionError(String engine) {
        // given: smooth waves, one phase per window, all features alike
        Autoencoder network = ModelBundle.newNetwork(engine, new AutoencoderSpec(5, 12, 8, 3, 0.05, 42));
        float[] data = new float[16 * 5 * 12];
        for (int b = 0; b < 16; b++) {
            for (int f = 0; f < 5; f++) {
                for (int t = 0; t < 12; t++) {
                    data[(b * 5 + f) * 12 + t] = (float) Math.sin(0.3 * t + b);
                }
            }
        }
        INDArray input = Nd4j.create(data, new long[] {16, 5, 12}, 'c');
        double before = meanError(network, input);

        // when
        for (int i = 0; i < 20; i++) {
            network.fitBatch(input);
        }

        // then
        assertThat(meanError(network, input)).isLessThan(before * 0.8);
    }

    @org.junit.jupiter.api.Test
    void parametersOfTheWrongShapeAreRejected() {
        Autoencoder network = ModelBundle.newNetwork("samediff", SPEC);
        Map<String, INDArray> params = network.parameters();
        params.put("output_b", Nd4j.zeros(DataType.FLOAT, 4));

        assertThatThrownBy(() -> network.setParameters(params)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter output_b has shape [4], the network expects [5]");
    }

    private static double meanError(Autoencoder network, INDArray input) {
        return ReconstructionError.of(input, network.reconstruct(input)).stream().mapToDouble(WindowScore::score)
                .average().orElseThrow();
    }
}
