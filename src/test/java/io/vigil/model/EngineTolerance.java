package io.vigil.model;

/**
 * How far two correct float32 computations of one autoencoder may disagree: the Java engine
 * ({@link LstmInference}) against ND4J's graph, or ND4J against itself. Derived from the arithmetic,
 * not from what one machine gave, because the machine changes the answer: Java's float arithmetic is
 * IEEE-exact in program order (no reassociation, no FMA contraction, whatever the JIT vectorizes), so
 * the Java engine gives the same bits on every CPU; ND4J's does not, since OpenBLAS and libnd4j pick
 * their kernels, and with them the order of every sum, per CPU (on one Xeon, forcing OpenBLAS's
 * Prescott, Haswell, Zen or SkylakeX kernels with {@code OPENBLAS_CORETYPE} moves ND4J's scores).
 *
 * <p>The bound, first order and worst case (every rounding error adds, none cancels):
 * <ul>
 * <li>u = 2⁻²⁴, float32's unit roundoff: one rounding moves a value by at most u times its magnitude M.
 * <li>One LSTM step, along its longest chain of roundings: the gate's pre-activation, a sum of
 *     n = max(features, bottleneck) + hidden + 1 products (input, recurrent, bias) whose error in any
 *     summation order is at most n·u·M (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>,
 *     §3.1); then a gate activation and tanh(c), each within {@link #ACTIVATION_ERROR} absolute; and the
 *     cell update c = f·c + i·g and h = o·tanh(c), 4 roundings. Per step: (n + 4)·u·M + 2·ε_act.
 * <li>A reconstructed value depends on 2·window + 1 such steps in series: the encoder's window steps
 *     (encoder1 runs in lockstep with encoder0, one step behind), the decoder's window steps, and the
 *     output layer (hidden + 1 terms, fewer than a step's n + 4).
 * <li>The trained recurrence does not amplify errors: forget gates below 1 damp the cell state, and
 *     gate derivatives are at most 1/4 (sigmoid) or 1 (tanh).
 * <li>Magnitude: h and the gates lie in (−1, 1); inputs are normalized, so healthy ones are O(1), and
 *     a window's rms input exceeds its O(1) reconstruction by at most its rms error √S (S its score):
 *     M = 1 + √S.
 * <li>Each engine is within that of the exact value, so two engines are within twice that of each other.
 * </ul>
 * For the vibration model (3 features, window 64, 16 → 8): n = 25, 129 steps,
 * Δ = 2 · 129 · (29·u·M + 2·10⁻⁶) = 9.6·10⁻⁴ for M = 1.
 *
 * <p>Measured, for scale: the engines' scores differ by at most 1.1·10⁻⁵ relative on an Intel Xeon
 * with AVX-512 (the 2-vCPU VM of docs/benchmarks.md, with any of four OpenBLAS kernels: 1/800 of the bound) and by 1.8·10⁻⁵ on an AMD
 * EPYC (window 7283 of {@code LstmInferenceTest}: 1/130 of the bound). Counting errors as cancelling
 * like independent ones (√ of the roundings instead of their number) lands within a factor of two of
 * the EPYC's difference: an estimate, not a bound. The bound still tells a different network apart:
 * one more Adam step (learning rate 0.01) moves the scores of {@code LstmInferenceTest}'s 1-, 3- and
 * 8-feature networks past it, by up to 7×, 2× and 1.3×.
 */
public final class EngineTolerance {

    /** float32's unit roundoff. */
    static final double U = 0x1p-24;

    /**
     * The activations' absolute error, in either engine: {@link LstmInference#tanh} is tested within it
     * ({@code LstmInferenceTest.tanhIsWithinFloatPrecisionEverywhere}), sigmoid is half a tanh of half
     * the argument; ND4J's float tanh and sigmoid, built on the C library's, are taken to be no worse.
     */
    public static final double ACTIVATION_ERROR = 1e-6;

    /** Roundings of the cell update and h = o·tanh(c) in one step. */
    static final int CELL_ROUNDINGS = 4;

    private EngineTolerance() {
    }

    /**
     * Δ: how far two engines' values of one reconstructed element may lie apart, for a network of
     * {@code spec} fed normalized inputs of rms magnitude up to {@code magnitude} (≥ 1).
     */
    public static double reconstruction(AutoencoderSpec spec, double magnitude) {
        int terms = Math.max(spec.features(), spec.bottleneck()) + spec.hidden() + 1;
        double perStep = (terms + CELL_ROUNDINGS) * U * magnitude + 2 * ACTIVATION_ERROR;
        int steps = 2 * spec.window() + 1;
        return 2 * steps * perStep;
    }

    /**
     * How far two engines' scores of one window may lie apart, the window's score being {@code score}.
     * S is the mean of squared errors e = x − r over features × steps; r moves by at most Δ, so each
     * e² moves by at most 2|e|Δ + Δ², and the mean of |e| is at most √S (Cauchy–Schwarz):
     * |δS| ≤ 2√S·Δ + Δ².
     */
    public static double score(AutoencoderSpec spec, double score) {
        double delta = reconstruction(spec, 1 + Math.sqrt(score));
        return 2 * Math.sqrt(score) * delta + delta * delta;
    }

    /**
     * How far two engines' shares of feature {@code f} in one window may lie apart. A share is
     * a / b: a feature's sum of squared errors over its window steps, over the window's sum. A sum of
     * m squared errors s moves by at most E(m, s) = 2Δ√(m·s) + m·Δ² (as in {@link #score}), so
     * |δ(a/b)| ≤ (E(window, a) + (a/b)·E(features·window, b)) / (b − E(features·window, b)).
     */
    public static double share(AutoencoderSpec spec, WindowScore expected, int f) {
        double delta = reconstruction(spec, 1 + Math.sqrt(expected.score()));
        int steps = spec.window();
        int values = spec.features() * steps;
        double b = expected.score() * values;
        double a = expected.featureShare()[f] * b;
        double errorB = sumError(values, b, delta);
        if (errorB >= b) {
            return 1; // the window's error is itself within rounding: its shares say nothing
        }
        return (sumError(steps, a, delta) + expected.featureShare()[f] * errorB) / (b - errorB);
    }

    private static double sumError(int count, double sum, double delta) {
        return 2 * delta * Math.sqrt(count * sum) + count * delta * delta;
    }
}
