package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LorenzOscillatorTest {

    private static final int STEPS = 100_000;
    /** Steps dropped before measuring amplitude: the way from (2, 3, 4) onto the attractor. */
    private static final int TRANSIENT = 1_000;

    @Test
    void firstThreeHealthyStepsFollowTheSequentialEulerFormula() {
        // given an oscillator at (2, 3, 4)
        LorenzOscillator oscillator = new LorenzOscillator();

        // when it takes three healthy steps
        List<double[]> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            oscillator.step(LorenzParameters.HEALTHY);
            states.add(oscillator.state());
        }

        // then each step matches x += h·σ(y−x); y += h·(x(ρ−z)−y) with the new x;
        // z += h·(xy−βz) with the new x and y; h = 0.008, σ = 10, ρ = 28, β = 8/3.
        // Step 1 by hand: x = 2 + 0.08·(3−2) = 2.08; y = 3 + 0.008·(2.08·24 − 3) = 3.37536;
        // z = 4 + 0.008·(2.08·3.37536 − 32/3) = 3.97083265706666…
        // Steps 2 and 3: the same formula evaluated once in IEEE double (Python), pasted as literals.
        assertThat(states).containsExactly(
                new double[] {2.08, 3.37536, 3.9708326570666665},
                new double[] {2.1836288, 3.76812337480039, 3.951947022167916},
                new double[] {2.310388365984031, 4.182461122398394, 3.944943695175292});
    }

    @Test
    void healthyAttractorStaysInItsKnownBox() {
        // given / when
        Extent extent = run(LorenzParameters.HEALTHY);

        // then
        assertThat(extent.maxAbsX).isLessThan(30);
        assertThat(extent.maxAbsY).isLessThan(30);
        assertThat(extent.minZ).isGreaterThan(0);
        assertThat(extent.maxZ).isLessThan(60);
    }

    @Test
    void brokenAttractorIsBoundedButSeveralTimesLarger() {
        // given / when
        Extent healthy = run(LorenzParameters.HEALTHY);
        Extent broken = run(LorenzParameters.BROKEN);

        // then bounded (measured on 100k steps: |x| < 92, |y| < 139, z in (3.7, 248)) ...
        assertThat(broken.maxAbsX).isLessThan(120);
        assertThat(broken.maxAbsY).isLessThan(180);
        assertThat(broken.minZ).isGreaterThan(0);
        assertThat(broken.maxZ).isLessThan(320);
        // ... and about 4x the healthy amplitude (measured 34.2 / 8.0 = 4.3)
        assertThat(broken.stdX / healthy.stdX).isGreaterThan(2.5).isLessThan(6);
    }

    @Test
    void switchingParametersKeepsTheTrajectory() {
        // given two oscillators that took the same 1000 healthy steps
        LorenzOscillator switched = new LorenzOscillator();
        LorenzOscillator reference = new LorenzOscillator();
        for (int i = 0; i < 1000; i++) {
            switched.step(LorenzParameters.HEALTHY);
            reference.step(LorenzParameters.HEALTHY);
        }
        double[] before = switched.state();

        // when one switches to broken for a step
        switched.step(LorenzParameters.BROKEN);

        // then that step starts from the healthy state, it does not restart at (2, 3, 4)
        double h = LorenzOscillator.STEP;
        LorenzParameters b = LorenzParameters.BROKEN;
        double x = before[0] + h * b.sigma() * (before[1] - before[0]);
        double y = before[1] + h * (x * (b.rho() - before[2]) - before[1]);
        double z = before[2] + h * (x * y - b.beta() * before[2]);
        assertThat(switched.state()).containsExactly(x, y, z);
    }

    @Test
    void betweenInterpolatesLinearly() {
        // when
        LorenzParameters half = LorenzParameters.between(LorenzParameters.HEALTHY, LorenzParameters.BROKEN, 0.5);

        // then
        assertThat(half).isEqualTo(new LorenzParameters(20, 78, 6));
        assertThat(LorenzParameters.between(LorenzParameters.HEALTHY, LorenzParameters.BROKEN, 0))
                .isEqualTo(LorenzParameters.HEALTHY);
        assertThat(LorenzParameters.between(LorenzParameters.HEALTHY, LorenzParameters.BROKEN, 1))
                .isEqualTo(LorenzParameters.BROKEN);
    }

    private static Extent run(LorenzParameters parameters) {
        LorenzOscillator oscillator = new LorenzOscillator();
        Extent extent = new Extent();
        double sum = 0;
        double sumSquares = 0;
        int counted = 0;
        for (int i = 0; i < STEPS; i++) {
            oscillator.step(parameters);
            double[] s = oscillator.state();
            extent.maxAbsX = Math.max(extent.maxAbsX, Math.abs(s[0]));
            extent.maxAbsY = Math.max(extent.maxAbsY, Math.abs(s[1]));
            extent.minZ = Math.min(extent.minZ, s[2]);
            extent.maxZ = Math.max(extent.maxZ, s[2]);
            if (i >= TRANSIENT) {
                sum += s[0];
                sumSquares += s[0] * s[0];
                counted++;
            }
        }
        double mean = sum / counted;
        extent.stdX = Math.sqrt(sumSquares / counted - mean * mean);
        return extent;
    }

    private static final class Extent {
        double maxAbsX;
        double maxAbsY;
        double minZ = Double.MAX_VALUE;
        double maxZ = -Double.MAX_VALUE;
        double stdX;
    }
}
