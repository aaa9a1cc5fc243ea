package io.vigil.model;

import io.vigil.kind.SensorKind.Calibrate;
import io.vigil.kind.SensorKind.FrontEndSpec;
import io.vigil.kind.SensorKind.Preprocess;
import io.vigil.reading.DeviceSeries;
import java.util.Arrays;
import java.util.List;

/**
 * Each device's own normal (the topology's {@code alert.calibrate}): its first {@code warmupWindows}
 * windows are declared normal and raise nothing. With {@code standardize}, the first half of them
 * gives the device's per-feature mean and std (over its samples, each counted once) and every later
 * window is standardized with them before scoring — the model then sees every device at its own
 * operating point; the rest of the warm-up windows' scores give the device's threshold,
 * {@link ThresholdCalibration#calibrate} of them, or with {@code likelihood} the Gaussian that
 * {@link AnomalyLikelihood} holds each later score's recent mean against. SKAB scores a run against its first 400 rows this
 * way, NAB a series after its probationary period.
 *
 * <p>The stream keeps one {@link State} per device in a changelogged store and the evaluation
 * replays a recording through the same two calls in the same order, so both judge a window alike:
 * {@link #cut} when the window is cut (before scoring), {@link #scored} when its score is known.
 * Windows are scored in the order they are cut, so the two counters meet the same windows.
 */
public final class DeviceCalibration {

    /**
     * One device's calibration so far; plain arrays so the stream can keep it as JSON.
     *
     * @param cut        windows cut so far
     * @param scored     windows scored so far
     * @param samples    samples counted into {@code sum}/{@code sumSq}
     * @param mean       per-feature mean once the standardizing windows are done, else null
     * @param std        per-feature std, likewise
     * @param warmScores scores of the calibrating windows so far; null once the threshold is set
     * @param threshold  the device's threshold once its warm-up is over, else null (with a likelihood,
     *                   the likelihood's threshold)
     * @param likelihood the anomaly likelihood's state once the warm-up is over, with {@code likelihood}; else null
     */
    public record State(int cut, int scored, long samples, double[] sum, double[] sumSq, double[] mean, double[] std,
                        double[] warmScores, Double threshold, AnomalyLikelihood.State likelihood) {

        public static State fresh(int features) {
            return new State(0, 0, 0, new double[features], new double[features], null, null, new double[0], null,
                    null);
        }
    }

    /** The window to score (standardized when the device's statistics are known) and the next state. */
    public record Cut(State state, Window window) {
    }

    /**
     * The next state, the device's threshold (null while the device is warming up: no alert then) and
     * the value held against it: the score, or after a likelihood's warm-up the score's anomaly likelihood.
     */
    public record Judged(State state, Double threshold, double value) {
    }

    /** Floor of a feature's std: a feature constant during warm-up must not divide by zero. */
    static final double MIN_STD = 1e-6;

    private final Calibrate policy;
    private final int hop;
    private final int standardizing;
    private final FrontEndSpec frontEnd;
    private final AnomalyLikelihood likelihood; // null: scores are held against the threshold

    /** @param hop samples between window starts: a window after the first brings {@code hop} new samples */
    public DeviceCalibration(Calibrate policy, int hop) {
        this(policy, hop, Preprocess.NONE);
    }

    /**
     * @param frontEnd what made the windows' frames: the statistics are those of each raw feature's level,
     *                 and a frame value is standardized as its raw feature would be (a rolling front-end's
     *                 change and spread only scaled), so scoring sees what training on the standardized
     *                 raw series ({@link #standardize}) saw
     */
    public DeviceCalibration(Calibrate policy, int hop, FrontEndSpec frontEnd) {
        this.policy = policy;
        this.hop = hop;
        this.standardizing = policy.standardize() ? policy.warmupWindows() / 2 : 0;
        this.frontEnd = frontEnd;
        this.likelihood = policy.likelihood() == null ? null : new AnomalyLikelihood(policy.likelihood());
    }

    public Calibrate policy() {
        return policy;
    }

    public Cut cut(State state, Window window) {
        int index = state.cut() + 1;
        if (index > standardizing) {
            Window scored = state.mean() == null ? window : standardized(window, state.mean(), state.std(), frontEnd);
            return new Cut(new State(index, state.scored(), state.samples(), state.sum(), state.sumSq(), state.mean(),
                    state.std(), state.warmScores(), state.threshold(), state.likelihood()), scored);
        }
        double[] sum = state.sum().clone();
        double[] sumSq = state.sumSq().clone();
        int length = window.length();
        int fresh = index == 1 ? length : Math.min(hop, length);
        for (int f = 0; f < sum.length; f++) {
            for (int t = length - fresh; t < length; t++) {
                double v = window.values()[frontEnd.levelOf(f)][t];
                sum[f] += v;
                sumSq[f] += v * v;
            }
        }
        long samples = state.samples() + fresh;
        double[] mean = null;
        double[] std = null;
        if (index == standardizing) {
            mean = new double[sum.length];
            std = new double[sum.length];
            for (int f = 0; f < sum.length; f++) {
                mean[f] = sum[f] / samples;
                std[f] = Math.max(MIN_STD, Math.sqrt(Math.max(0, sumSq[f] / samples - mean[f] * mean[f])));
            }
        }
        return new Cut(new State(index, state.scored(), samples, sum, sumSq, mean, std, state.warmScores(),
                state.threshold(), state.likelihood()), window);
    }

    public Judged scored(State state, double score) {
        int index = state.scored() + 1;
        // a device whose warm-up ended before the likelihood was configured has no Gaussian: it keeps its threshold
        if (state.threshold() != null && likelihood != null && state.likelihood() != null) {
            AnomalyLikelihood.Step step = likelihood.next(state.likelihood(), score);
            return new Judged(withScored(state, index, null, state.threshold(), step.state()), state.threshold(),
                    step.likelihood());
        }
        if (index <= standardizing || state.threshold() != null) {
            return new Judged(withScored(state, index, state.warmScores(), state.threshold(), state.likelihood()),
                    state.threshold(), score);
        }
        double[] warm = Arrays.copyOf(state.warmScores(), state.warmScores().length + 1);
        warm[warm.length - 1] = score;
        if (index < policy.warmupWindows()) {
            return new Judged(withScored(state, index, warm, null, null), null, score);
        }
        // the warm-up's last window is still normal: the threshold (or likelihood) judges the windows after it
        if (likelihood != null) {
            return new Judged(withScored(state, index, null, likelihood.settings().threshold(), likelihood.learn(warm)),
                    null, score);
        }
        double threshold = ThresholdCalibration.calibrate(warm, policy.quantile(), policy.margin()).threshold();
        return new Judged(withScored(state, index, null, threshold, null), null, score);
    }

    private static State withScored(State s, int scored, double[] warm, Double threshold,
                                    AnomalyLikelihood.State likelihood) {
        return new State(s.cut(), scored, s.samples(), s.sum(), s.sumSq(), s.mean(), s.std(), warm, threshold,
                likelihood);
    }

    /**
     * The series standardized with its own warm-up statistics (what {@link #cut} does to its windows),
     * for training on standardized data; null when the series is too short to finish them. Exact for
     * topologies without block preprocessing or with block means (both linear in the samples).
     */
    public DeviceSeries standardize(DeviceSeries series, Windower.Shape shape) {
        State state = State.fresh(shape.features());
        for (Window w : Windows.cut(series, shape)) {
            state = cut(state, w).state();
            if (state.mean() != null) {
                break;
            }
        }
        if (!policy.standardize()) {
            return series;
        }
        if (state.mean() == null) {
            return null;
        }
        double[][] values = new double[series.size()][];
        for (int i = 0; i < values.length; i++) {
            double[] row = series.values()[i];
            values[i] = new double[row.length];
            for (int f = 0; f < row.length; f++) {
                values[i][f] = (row[f] - state.mean()[f]) / state.std()[f];
            }
        }
        return new DeviceSeries(series.device(), series.ts(), values, series.labels());
    }

    /** Time of the last sample of the device's warm-up (its last warm-up window's end), or null when it is shorter. */
    public Long warmupEnd(List<Window> windows) {
        return windows.size() < policy.warmupWindows() ? null : windows.get(policy.warmupWindows() - 1).endMs();
    }

    static Window standardized(Window window, double[] mean, double[] std, FrontEndSpec frontEnd) {
        float[][] out = new float[window.features()][window.length()];
        for (int f = 0; f < out.length; f++) {
            float[] row = window.values()[f];
            int input = frontEnd.inputOf(f);
            double shift = frontEnd.movesWithLevel(f) ? mean[input] : 0;
            for (int t = 0; t < row.length; t++) {
                out[f][t] = (float) ((row[t] - shift) / std[input]);
            }
        }
        return new Window(window.startMs(), window.endMs(), out);
    }
}
