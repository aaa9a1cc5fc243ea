package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.kind.SensorKind.Likelihood;
import org.junit.jupiter.api.Test;

/** Numenta's anomaly likelihood on window scores: the arithmetic, checked by hand. */
class AnomalyLikelihoodTest {

    /** Short mean of 2 scores; long span 3 (moving weight 2 / (3 + 1) = 0.5, so the updates are exact). */
    private static final AnomalyLikelihood LIKELIHOOD = new AnomalyLikelihood(new Likelihood(2, 3, 0.99));

    /** Φ(√3) and Φ(1), the standard normal CDF (tables; 1e-12 is far below their printed digits' error). */
    private static final double PHI_SQRT3 = 0.9583677416682;
    private static final double PHI_1 = 0.8413447460685;

    @Test
    void theWarmUpGivesTheGaussianOfItsShortMeansAndKeepsTheLastScores() {
        // given: scores 1, 3, 5, 3: short means 1 (one score so far), 2, 4, 4
        // when
        AnomalyLikelihood.State state = LIKELIHOOD.learn(new double[] {1, 3, 5, 3});

        // then: mean 11/4; variance (1.75² + 0.75² + 1.25² + 1.25²) / 4 = 1.6875; the last score kept
        assertThat(state).usingRecursiveComparison()
                .isEqualTo(new AnomalyLikelihood.State(new double[] {3}, 2.75, 1.6875));
    }

    @Test
    void aNewScoresShortMeanIsJudgedByTheGaussiansUpperTailThenMovesIt() {
        // given: the warm-up above
        AnomalyLikelihood.State state = new AnomalyLikelihood.State(new double[] {3}, 2.75, 1.6875);

        // when: a score of 7 makes the short mean (3 + 7) / 2 = 5
        AnomalyLikelihood.Step step = LIKELIHOOD.next(state, 7);

        // then: z = 2.25 / √1.6875 = √3, likelihood Φ(√3); mean 2.75 + 0.5 × 2.25 = 3.875,
        // variance 0.5 × (1.6875 + 2.25 × 1.125) = 2.109375; the newest score kept
        assertThat(step.likelihood()).isCloseTo(PHI_SQRT3, within(1e-12));
        assertThat(step.state()).usingRecursiveComparison()
                .isEqualTo(new AnomalyLikelihood.State(new double[] {7}, 3.875, 2.109375));
    }

    @Test
    void onlyTheUpperTailCountsAScoreBelowTheMeanIsUnlikelyToBeAnAnomaly() {
        assertThat(AnomalyLikelihood.tail(0, 0, 1)).isEqualTo(0.5);
        assertThat(AnomalyLikelihood.tail(1, 0, 1)).isCloseTo(1 - PHI_1, within(1e-12));
        assertThat(AnomalyLikelihood.tail(-1, 0, 1)).isCloseTo(PHI_1, within(1e-12));
        // a short mean one std under the Gaussian's mean: likelihood 1 − Φ(1)
        AnomalyLikelihood.Step low = LIKELIHOOD.next(new AnomalyLikelihood.State(new double[] {4}, 5, 1), 4);
        assertThat(low.likelihood()).isCloseTo(1 - PHI_1, within(1e-12));
    }

    @Test
    void aDeviceWhoseWarmUpScoresNeverMovedHasAStdOfOnePercentOfTheirMean() {
        // given: one score per short mean, a flat warm-up at 2: variance 0, std floored at 0.02
        AnomalyLikelihood single = new AnomalyLikelihood(new Likelihood(1, 100, 0.99999));
        AnomalyLikelihood.State state = single.learn(new double[] {2, 2, 2});
        assertThat(state).usingRecursiveComparison().isEqualTo(new AnomalyLikelihood.State(new double[0], 2, 0));

        // when: a score one floored std above
        AnomalyLikelihood.Step step = single.next(state, 2.02);

        // then: likelihood Φ(1), not a certainty
        assertThat(step.likelihood()).isCloseTo(PHI_1, within(1e-12));
    }

    @Test
    void aScoreThatIsNotFiniteIsCertainAndLeavesTheHistoryAlone() {
        AnomalyLikelihood.State state = new AnomalyLikelihood.State(new double[] {3}, 2.75, 1.6875);

        assertThat(LIKELIHOOD.next(state, Double.NaN)).isEqualTo(new AnomalyLikelihood.Step(state, 1.0));
        assertThat(LIKELIHOOD.next(state, Double.POSITIVE_INFINITY)).isEqualTo(new AnomalyLikelihood.Step(state, 1.0));
        assertThat(LIKELIHOOD.next(state, Double.MAX_VALUE)).isEqualTo(new AnomalyLikelihood.Step(state, 1.0));
    }
}
