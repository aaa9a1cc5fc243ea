package io.vigil.model;

import io.vigil.kind.SensorKind.Likelihood;
import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * Numenta's anomaly likelihood (NAB's Numenta detector, {@code nupic.algorithms.anomaly_likelihood}),
 * on a device's window scores: the mean of its last {@code shortSpan} scores is held against a
 * Gaussian of its earlier such means, and the likelihood is {@code 1 − P(mean ≥ this)}. A device's
 * scores need not be comparable with another's: each is judged against its own history.
 *
 * <p>As in Numenta's code, the Gaussian is fitted to the short means, not to the raw scores (a mean of
 * several scores spreads less than one score; judged against the raw scores' spread its tail would
 * look too likely). It is learned on the warm-up's calibrating scores and then followed with an
 * exponential moving mean and variance of span {@code longSpan} (Numenta re-estimates over its last
 * 8640 records every 100; an exponential span keeps the stream's per-device state a few numbers).
 * Unlike Numenta, only the upper tail counts: a reconstruction error or |z| lower than usual is not
 * an anomaly, while Numenta's raw scores are judged both ways. Numenta's filter that demotes a second
 * red likelihood in a row is left to the alert rule, whose {@code raiseAfter}/{@code clearAfter} do that
 * job here.
 */
public final class AnomalyLikelihood {

    /**
     * One device's likelihood state; plain values so the stream can keep it as JSON.
     *
     * @param recent   the last {@code shortSpan − 1} scores, oldest first
     * @param mean     the moving mean of the short means
     * @param variance their moving variance
     */
    public record State(double[] recent, double mean, double variance) {
    }

    /** A likelihood and the next state. */
    public record Step(State state, double likelihood) {
    }

    /**
     * Floor of the Gaussian's std as a share of its mean: a device whose scores barely moved during
     * warm-up would otherwise call any rounding-sized change certain (Numenta floors the variance of
     * its [0, 1] scores at 0.0003 for the same reason).
     */
    static final double MIN_STD_SHARE = 0.01;
    /** Absolute floor of the std, for scores whose mean is 0. */
    static final double MIN_STD = 1e-9;

    private final Likelihood settings;
    private final double alpha;

    public AnomalyLikelihood(Likelihood settings) {
        this.settings = settings;
        this.alpha = 2.0 / (settings.longSpan() + 1);
    }

    public Likelihood settings() {
        return settings;
    }

    /**
     * The state after the warm-up's calibrating scores: the mean and (population) variance of their
     * short means (each the mean of the scores so far, up to {@code shortSpan}, as Numenta's moving
     * average starts), and the last {@code shortSpan − 1} of them.
     */
    public State learn(double[] scores) {
        double[] means = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            sum += scores[i];
            if (i >= settings.shortSpan()) {
                sum -= scores[i - settings.shortSpan()];
            }
            means[i] = sum / Math.min(i + 1, settings.shortSpan());
        }
        double mean = Arrays.stream(means).sum() / means.length;
        double variance = Arrays.stream(means).map(m -> (m - mean) * (m - mean)).sum() / means.length;
        int keep = Math.min(scores.length, settings.shortSpan() - 1);
        return new State(Arrays.copyOfRange(scores, scores.length - keep, scores.length), mean, variance);
    }

    /**
     * The likelihood of a new score's short mean against the state, then the state with it. A score
     * that is not finite (an overflowing reconstruction) is certain, and kept out of the history so it
     * cannot poison every later likelihood.
     */
    public Step next(State state, double score) {
        if (!Double.isFinite(score)) {
            return new Step(state, 1.0);
        }
        double[] window = Arrays.copyOf(state.recent(), state.recent().length + 1);
        window[window.length - 1] = score;
        double shortMean = Arrays.stream(window).sum() / window.length;
        double likelihood = 1 - tail(shortMean, state.mean(), std(state.mean(), state.variance()));
        double diff = shortMean - state.mean();
        double increment = alpha * diff;
        double[] recent = window.length < settings.shortSpan() ? window
                : Arrays.copyOfRange(window, window.length - (settings.shortSpan() - 1), window.length);
        State next = new State(recent, state.mean() + increment, (1 - alpha) * (state.variance() + diff * increment));
        if (!Double.isFinite(next.mean()) || !Double.isFinite(next.variance())) {
            return new Step(state, 1.0);
        }
        return new Step(next, likelihood);
    }

    /** P(X ≥ x) for X ~ N(mean, std²): the upper tail, {@code erfc(z/√2)/2}. */
    static double tail(double x, double mean, double std) {
        return 0.5 * Erf.erfc((x - mean) / (std * Math.sqrt(2)));
    }

    static double std(double mean, double variance) {
        return Math.max(Math.max(MIN_STD, MIN_STD_SHARE * Math.abs(mean)), Math.sqrt(variance));
    }
}
