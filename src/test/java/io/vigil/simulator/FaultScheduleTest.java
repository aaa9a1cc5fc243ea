package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final List<Double> TIMES = List.of(0.0, 9.9, 10.0, 12.5, 15.0, 17.5, 20.0, 25.0, 31.0, 100.0);

    @Test
    void noneIsAlwaysHealthy() {
        assertThat(fractions(new FaultSchedule.None()))
                .containsExactly(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void suddenBreaksAtItsTime() {
        assertThat(fractions(new FaultSchedule.Sudden(10)))
                .containsExactly(0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
    }

    @Test
    void gradualRisesLinearlyOverItsDuration() {
        assertThat(fractions(new FaultSchedule.Gradual(10, 10)))
                .containsExactly(0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0);
    }

    @Test
    void intermittentIsBrokenForABurstEveryPeriod() {
        // from 10 s: broken for 3 s of every 10 s -> [10, 13), [20, 23), [30, 33), …
        assertThat(fractions(new FaultSchedule.Intermittent(10, 3, 10)))
                .containsExactly(0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0);
    }

    @Test
    void parametersFollowTheFraction() {
        FaultSchedule gradual = new FaultSchedule.Gradual(0, 2);

        assertThat(List.of(gradual.parametersAt(0), gradual.parametersAt(1), gradual.parametersAt(2)))
                .containsExactly(LorenzParameters.HEALTHY, new LorenzParameters(20, 78, 6), LorenzParameters.BROKEN);
    }

    @Test
    void burstMustBeShorterThanPeriod() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FaultSchedule.Intermittent(0, 5, 5))
                .withMessage("burst (5.0 s) must be shorter than period (5.0 s)");
    }

    private static List<Double> fractions(FaultSchedule schedule) {
        return TIMES.stream().map(schedule::fraction).toList();
    }
}
