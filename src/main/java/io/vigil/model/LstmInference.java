package io.vigil.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU scoring engine: the trained autoencoder's forward pass in plain Java, with the weights
 * copied out of the network once. It computes exactly the graph {@link SameDiffAutoencoder} builds
 * ({@code LstmInferenceTest} checks the scores against it) and is several times faster.
 *
 * <p>Why it is faster: ND4J pays a fixed cost per native op, and the fused {@code lstmLayer} still
 * runs each of the 64 time steps as a few small matrix ops whose overhead dwarfs the arithmetic
 * (3 → 16 → 8 → 16 → 3 units). Here a block of windows moves through time in lockstep, the batch
 * index innermost: every inner loop runs over {@link #BLOCK} contiguous floats with no offset, which
 * the JIT turns into SIMD code, and the buffers are reused, so scoring allocates nothing on the heap
 * and nothing native. Encoder layers run interleaved step by step, the decoder's input (the code
 * repeated at every step) is multiplied by its weights once, and the output layer and the error are
 * computed at each decoder step, so no sequence is stored.
 *
 * <p>Cell (libnd4j {@code lstmLayer}: no peepholes, no clipping; weight columns in the gate order
 * i, f, g, o): {@code z = x·W + h·RW + b; c = σ(f)·c + σ(i)·tanh(g); h = σ(o)·tanh(c)}.
 *
 * <p>Not thread-safe (the buffers are per instance), like every {@link Autoencoder}.
 */
public final class LstmInference {

    /** Windows moved through time together: long enough for SIMD, small enough for the L1 cache. */
    static final int BLOCK = 128;

    /** Blocks scored when an engine is made; see {@link #warmUp}. */
    static final int WARM_UP_BLOCKS = 20;

    /** Blocks are padded to a multiple of this many lanes: one AVX2 register of floats. */
    static final int LANES = 8;

    private final AutoencoderSpec spec;
    private final Layer encoder0;
    private final Layer encoder1;
    private final Layer decoder0;
    private final float[][] outW; // [features][hidden], transposed from the graph's [hidden, features]
    private final float[] outB;   // [features]

    private final float[][] step;       // one time step of the input block, [features][BLOCK]
    private final float[] reconstructed; // one feature of one decoder step, [BLOCK]
    private final double[][] squared;   // running squared error, [features][BLOCK]

    private LstmInference(AutoencoderSpec spec, Map<String, INDArray> parameters) {
        this.spec = spec;
        int f = spec.features();
        this.encoder0 = new Layer("encoder0", parameters, f, spec.hidden());
        this.encoder1 = new Layer("encoder1", parameters, spec.hidden(), spec.bottleneck());
        this.decoder0 = new Layer("decoder0", parameters, spec.bottleneck(), spec.hidden());
        this.outW = transpose(floats(parameters, "output_W", (long) spec.hidden() * f), spec.hidden(), f);
        this.outB = floats(parameters, "output_b", f);
        this.step = new float[f][BLOCK];
        this.reconstructed = new float[BLOCK];
        this.squared = new double[f][BLOCK];
    }

    /** An engine over the network's current weights (a copy: later training does not reach it). */
    public static LstmInference of(Autoencoder network) {
        LstmInference engine = new LstmInference(network.spec(), network.parameters());
        engine.warmUp();
        return engine;
    }

    /**
     * Scores full blocks of zeros a few times, so the JIT compiles the loops from a profile of long
     * trip counts, whatever batch sizes the first real calls bring (≈0.1 s, once per engine).
     */
    private void warmUp() {
        int size = spec.features() * spec.window();
        float[] zeros = new float[BLOCK * size];
        double[] ignored = new double[BLOCK * spec.features()];
        for (int i = 0; i < WARM_UP_BLOCKS; i++) {
            squaredErrors(zeros, BLOCK, ignored);
        }
    }

    public AutoencoderSpec spec() {
        return spec;
    }

    /**
     * Reconstructs {@code batch} normalized windows laid out {@code [batch, features, time]} in
     * {@code input} and writes each window's per-feature sum of squared reconstruction error to
     * {@code sums[b * features + f]} (see {@link ReconstructionError#fromSums}).
     */
    public void squaredErrors(float[] input, int batch, double[] sums) {
        for (int from = 0; from < batch; from += BLOCK) {
            scoreBlock(input, from, Math.min(BLOCK, batch - from), sums);
        }
    }

    /**
     * Appends the scores of {@code batch} normalized windows to {@code scores}; {@code sums} is
     * scratch space of at least {@code batch × features}.
     */
    public void score(float[] input, int batch, double[] sums, List<WindowScore> scores) {
        squaredErrors(input, batch, sums);
        for (int b = 0; b < batch; b++) {
            scores.add(ReconstructionError.fromSums(sums, b * spec.features(), spec.features(), spec.window()));
        }
    }

    /**
     * Scores windows {@code from .. from + n - 1} as one block of {@code lanes} = n rounded up to
     * {@link #LANES}: the padding lanes hold zeros and are computed and ignored. Every inner loop then
     * runs at least one full SIMD register, so the JIT's loop profile never sees a trip count of 1
     * and keeps the vectorized code (measured: compiled while batches of one came in, the loops ran
     * 4× slower for every later batch).
     */
    private void scoreBlock(float[] input, int from, int n, double[] sums) {
        int features = spec.features();
        int time = spec.window();
        int size = features * time;
        int lanes = (n + LANES - 1) / LANES * LANES;

        // encoder: both layers step together; encoder1 reads encoder0's h of the same step
        encoder0.reset(lanes);
        encoder1.reset(lanes);
        for (float[] row : step) {
            Arrays.fill(row, n, lanes, 0f);
        }
        for (int s = 0; s < time; s++) {
            for (int k = 0; k < features; k++) {
                float[] row = step[k];
                for (int b = 0; b < n; b++) {
                    row[b] = input[(from + b) * size + k * time + s];
                }
            }
            encoder0.step(step, lanes);
            encoder1.step(encoder0.h, lanes);
        }

        // decoder: the code (encoder1's last h) is its input at every step
        decoder0.reset(lanes);
        decoder0.fixInput(encoder1.h, lanes);
        for (double[] row : squared) {
            Arrays.fill(row, 0, n, 0.0);
        }
        for (int s = 0; s < time; s++) {
            decoder0.step(null, lanes);
            for (int k = 0; k < features; k++) {
                Arrays.fill(reconstructed, 0, lanes, outB[k]);
                float[] weights = outW[k];
                for (int j = 0; j < weights.length; j++) {
                    float w = weights[j];
                    float[] h = decoder0.h[j];
                    for (int b = 0; b < lanes; b++) {
                        reconstructed[b] += w * h[b];
                    }
                }
                double[] sum = squared[k];
                for (int b = 0; b < n; b++) {
                    double d = input[(from + b) * size + k * time + s] - reconstructed[b];
                    sum[b] += d * d;
                }
            }
        }
        for (int k = 0; k < features; k++) {
            for (int b = 0; b < n; b++) {
                sums[(from + b) * features + k] = squared[k][b];
            }
        }
    }

    /** One LSTM layer: weights, and the state of a block of windows. */
    private static final class Layer {
        final int nIn;
        final int nOut;
        final float[][] w;    // [4 nOut][nIn], transposed from the graph's [nIn, 4 nOut]
        final float[][] rw;   // [4 nOut][nOut]
        final float[] bias;   // [4 nOut]
        final float[][] z;    // pre-activations, [4 nOut][BLOCK]
        final float[][] zIn;  // x·W + b when the input is the same at every step, [4 nOut][BLOCK]
        final float[][] h;    // [nOut][BLOCK]
        final float[][] c;    // [nOut][BLOCK]
        boolean fixedInput;

        Layer(String name, Map<String, INDArray> parameters, int nIn, int nOut) {
            this.nIn = nIn;
            this.nOut = nOut;
            this.w = transpose(floats(parameters, name + "_W", 4L * nIn * nOut), nIn, 4 * nOut);
            this.rw = transpose(floats(parameters, name + "_RW", 4L * nOut * nOut), nOut, 4 * nOut);
            this.bias = floats(parameters, name + "_b", 4L * nOut);
            this.z = new float[4 * nOut][BLOCK];
            this.zIn = new float[4 * nOut][BLOCK];
            this.h = new float[nOut][BLOCK];
            this.c = new float[nOut][BLOCK];
        }

        void reset(int n) {
            for (int j = 0; j < nOut; j++) {
                Arrays.fill(h[j], 0, n, 0f);
                Arrays.fill(c[j], 0, n, 0f);
            }
            fixedInput = false;
        }

        /** From now on the input is {@code x} at every step: x·W + b is computed once. */
        void fixInput(float[][] x, int n) {
            for (int j = 0; j < 4 * nOut; j++) {
                inputTerm(x, n, j, zIn[j]);
            }
            fixedInput = true;
        }

        /** One time step for the block: input {@code x} is {@code [nIn][BLOCK]} (ignored after fixInput). */
        void step(float[][] x, int n) {
            for (int j = 0; j < 4 * nOut; j++) {
                float[] zj = z[j];
                if (fixedInput) {
                    System.arraycopy(zIn[j], 0, zj, 0, n);
                } else {
                    inputTerm(x, n, j, zj);
                }
                accumulate(zj, rw[j], h, nOut, n);
            }
            // one activation per loop: a loop body with several inlined tanh calls does not vectorize
            for (int j = 0; j < 4 * nOut; j++) {
                float[] zj = z[j];
                if (j >= 2 * nOut && j < 3 * nOut) {
                    for (int b = 0; b < n; b++) {
                        zj[b] = tanh(zj[b]);
                    }
                } else {
                    for (int b = 0; b < n; b++) {
                        zj[b] = sigmoid(zj[b]);
                    }
                }
            }
            for (int j = 0; j < nOut; j++) {
                float[] i = z[j];
                float[] f = z[nOut + j];
                float[] g = z[2 * nOut + j];
                float[] o = z[3 * nOut + j];
                float[] cj = c[j];
                float[] hj = h[j];
                for (int b = 0; b < n; b++) {
                    cj[b] = f[b] * cj[b] + i[b] * g[b];
                }
                for (int b = 0; b < n; b++) {
                    hj[b] = o[b] * tanh(cj[b]);
                }
            }
        }

        private void inputTerm(float[][] x, int n, int j, float[] out) {
            Arrays.fill(out, 0, n, bias[j]);
            accumulate(out, w[j], x, nIn, n);
        }
    }

    /**
     * {@code out[b] += Σ_k weights[k] · rows[k][b]}, four rows per pass so {@code out} is loaded and
     * stored a quarter as often.
     */
    static void accumulate(float[] out, float[] weights, float[][] rows, int count, int n) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            float w0 = weights[k];
            float w1 = weights[k + 1];
            float w2 = weights[k + 2];
            float w3 = weights[k + 3];
            float[] r0 = rows[k];
            float[] r1 = rows[k + 1];
            float[] r2 = rows[k + 2];
            float[] r3 = rows[k + 3];
            for (int b = 0; b < n; b++) {
                out[b] += w0 * r0[b] + w1 * r1[b] + w2 * r2[b] + w3 * r3[b];
            }
        }
        for (; k < count; k++) {
            float weight = weights[k];
            float[] row = rows[k];
            for (int b = 0; b < n; b++) {
                out[b] += weight * row[b];
            }
        }
    }

    static float sigmoid(float v) {
        return 0.5f + 0.5f * tanh(0.5f * v);
    }

    /**
     * tanh to within a few float ulps without a library call, so loops over it vectorize: Eigen's
     * rational approximation (odd degree-13 numerator over even degree-6 denominator) on
     * [-7.9, 7.9], beyond which float tanh is ±1.
     */
    static float tanh(float v) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, v));
        float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 - 8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        p = p * x;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return p / q;
    }

    private static float[] floats(Map<String, INDArray> parameters, String name, long expected) {
        INDArray array = parameters.get(name);
        if (array == null || array.length() != expected) {
            throw new IllegalArgumentException("parameter " + name + ": expected " + expected + " values, found "
                    + (array == null ? "none" : array.length()));
        }
        return array.dup('c').data().asFloat();
    }

    /** {@code [rows, columns]} row-major → {@code [columns][rows]}. */
    private static float[][] transpose(float[] matrix, int rows, int columns) {
        float[][] out = new float[columns][rows];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < columns; col++) {
                out[col][r] = matrix[r * columns + col];
            }
        }
        return out;
    }
}
