package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Windower;
import io.vigil.kind.SensorKind.Spectrum;
import org.junit.jupiter.api.Test;

/** The front-end benchmark counts what it ran; its timings are for docs/benchmarks.md, not asserted. */
class FrontEndBenchTest {

    /** 1,024-sample spectra every 128 samples of a 20 kHz signal (as in {@code frontend.FrontEndTest}). */
    static final Spectrum SPECTRUM_EVERY_128 = new Spectrum(20_000, 1024, 128, 8, 40, 10_000, 5, 2_000, 9_000, 500);

    @Test
    void everyRunCutsTheWindowsTheShapeImpliesAndReportsTheStoredState() {
        // given: frames of 1,024 every 128 samples, windows of 8 frames every frame, 3 axes
        Windower.Shape shape = new Windower.Shape(3, 8, 1, SPECTRUM_EVERY_128, 1_000);

        // when: 10,000 samples
        FrontEndBench.Result result = FrontEndBench.run(shape, 10_000, 3);

        // then: 1 + (10,000 - 1,024) / 128 = 71 frames, 71 - 8 + 1 = 64 windows; three timed runs
        assertThat(result.windows()).isEqualTo(64);
        assertThat(result.nanosPerSample()).hasSize(3).doesNotContain(0.0);
        assertThat(result.stateBytes()).isEqualTo(new Windower(shape).toBytes().length);
    }
}
