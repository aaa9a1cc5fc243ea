package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.ConfigException;
import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void thisBuildRunsOnTheCpuAndSaysSo() {
        assertThat(Backend.isGpu()).isFalse();
        assertThat(Backend.describe()).startsWith("ND4J backend CpuBackend on CPU, ");
    }

    @Test
    void askingForTheGpuOnACpuBuildIsOneClearLine() {
        assertThatThrownBy(() -> Backend.check("gpu", false)).isInstanceOf(ConfigException.class)
                .hasMessage("VIGIL_BACKEND=gpu, but this build has the CPU backend (nd4j-native): build with "
                        + "'mvn -Pgpu package' on a machine with an NVIDIA GPU and CUDA 11.6");
        assertThatThrownBy(() -> Backend.check("tpu", false)).hasMessage("VIGIL_BACKEND: expected cpu, gpu or auto, got 'tpu'");
        assertThatCode(() -> Backend.check("auto", false)).doesNotThrowAnyException();
        assertThatCode(() -> Backend.check("cpu", false)).doesNotThrowAnyException();
    }
}
