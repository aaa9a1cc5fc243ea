package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whatever the model computes, events carry finite numbers in the schemas' ranges. */
class FiniteScoreTest {

    @Test
    void overflowsBecomeTheLargestDoubleAndAFiniteScoreIsKept() {
        assertThat(new double[] {FiniteScore.score(Double.POSITIVE_INFINITY), FiniteScore.score(Double.NaN),
                FiniteScore.score(2.5), FiniteScore.score(-1), FiniteScore.sum(Double.MAX_VALUE, Double.MAX_VALUE)})
                .containsExactly(Double.MAX_VALUE, Double.MAX_VALUE, 2.5, 0, Double.MAX_VALUE);
    }

    @Test
    void featuresThatOverflowedShareTheErrorAndFiniteSharesAreKept() {
        assertThat(FiniteScore.shares(new double[] {Double.NaN, 0, 0})).containsExactly(1, 0, 0);
        assertThat(FiniteScore.shares(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0.3}))
                .containsExactly(0.5, 0.5, 0);
        assertThat(FiniteScore.shares(new double[] {0.7, 0.2, 0.1})).containsExactly(0.7, 0.2, 0.1);
    }
}
