package io.vigil.stream;

/**
 * Keeps every number of a score or alert event finite, whatever the model computed, because JSON (and
 * {@code docs/schemas}) has no NaN or Infinity. A value that overflows (a window of huge values within a
 * wide {@code range}) is not a reason to lose the window: its score is reported as {@link #OVERFLOW}, the
 * largest double, which is over any threshold, and its error is put on the features that overflowed.
 */
final class FiniteScore {

    /** The score of a window whose reconstruction error is not a finite number. */
    static final double OVERFLOW = Double.MAX_VALUE;

    private FiniteScore() {
    }

    /**
     * {@code score} held in [0, {@link #OVERFLOW}]: infinity and NaN (what float arithmetic makes of an
     * overflow, e.g. infinity minus infinity) become {@link #OVERFLOW}; an error is never negative.
     */
    static double score(double score) {
        if (Double.isNaN(score) || score > OVERFLOW) {
            return OVERFLOW;
        }
        return Math.max(0, score);
    }

    /**
     * Shares in [0, 1]. Where some are not finite (an overflowing feature's error divided by an infinite
     * total), those features split the whole error equally and the finite ones, negligible beside them, get 0.
     */
    static double[] shares(double[] shares) {
        int overflowing = 0;
        for (double share : shares) {
            if (!Double.isFinite(share)) {
                overflowing++;
            }
        }
        double[] finite = new double[shares.length];
        for (int f = 0; f < shares.length; f++) {
            if (overflowing > 0) {
                finite[f] = Double.isFinite(shares[f]) ? 0 : 1.0 / overflowing;
            } else {
                finite[f] = Math.min(1, Math.max(0, shares[f]));
            }
        }
        return finite;
    }

    /** {@code a + b}, held at {@link #OVERFLOW} instead of overflowing to infinity. */
    static double sum(double a, double b) {
        return score(a + b);
    }
}
