package io.vigil.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mini-batch training of the {@link SameDiffAutoencoder} graph in plain Java: forward pass, back
 * propagation through time and Adam, on the graph's own weights (same names, shapes and gate order).
 *
 * <p>Why not {@code SameDiff.fit}: libnd4j 1.0.0-M2.1's {@code lstmLayer_bp} never frees the forward
 * activations it recomputes (z, a, h and c of every step: {@code 10 × nOut × steps × batch} floats
 * per layer per call, 6.3 MiB for a batch of 64 windows of 64 steps with 16-8-16 units). Training
 * grew the process by that much per mini-batch, hundreds of MB per epoch, and no garbage
 * collection gets it back. The gradient here is the one SameDiff computes for the graph
 * ({@code LstmBackpropTest} compares the two), so only the leak goes.
 *
 * <p>Loss: mean squared error over every element of the batch, as {@code sd.loss().meanSquaredError}
 * with no weights. Cell: see {@link LstmInference}. Adam: ND4J's {@code AdamUpdater} (β1 0.9,
 * β2 0.999, ε 1e-8, bias correction in the step size). Arithmetic in double; the weights handed
 * back are float, like the graph's. Buffers are kept for the largest batch seen, so training allocates
 * nothing native and, after the first batch, nothing on the heap. Not thread-safe.
 */
final class LstmBackprop {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final AutoencoderSpec spec;
    private final double learningRate;
    private final Layer encoder0;
    private final Layer encoder1;
    private final Layer decoder0;
    private final Param outW;   // [hidden, features]
    private final Param outB;   // [features]
    private final Map<String, Param> params = new LinkedHashMap<>();
    private long iteration;

    // buffers for up to `capacity` windows, grown when a larger batch comes
    private int capacity;
    private double[][][] x;        // input steps [time][features][batch]
    private double[][][] dOut;     // dLoss/dOutput [time][features][batch]
    private double[][][] dDecH;    // dLoss/dh of the decoder [time][hidden][batch]
    private double[][][] dEnc0H;   // dLoss/dh of encoder0 [time][hidden][batch]
    private double[][][] dEnc1H;   // dLoss/dh of encoder1 [time][bottleneck][batch]
    private double[][][] code;     // the decoder's input at every step (the same array each step)
    private double[][][] dCodeSteps;

    LstmBackprop(AutoencoderSpec spec, Map<String, INDArray> initial) {
        this.spec = spec;
        this.learningRate = spec.learningRate();
        this.encoder0 = new Layer(param(initial, "encoder0_W"), param(initial, "encoder0_RW"),
                param(initial, "encoder0_b"), spec.features(), spec.hidden());
        this.encoder1 = new Layer(param(initial, "encoder1_W"), param(initial, "encoder1_RW"),
                param(initial, "encoder1_b"), spec.hidden(), spec.bottleneck());
        this.decoder0 = new Layer(param(initial, "decoder0_W"), param(initial, "decoder0_RW"),
                param(initial, "decoder0_b"), spec.bottleneck(), spec.hidden());
        this.outW = param(initial, "output_W");
        this.outB = param(initial, "output_b");
        if (!params.keySet().equals(initial.keySet())) {
            throw new IllegalArgumentException("parameters " + initial.keySet() + " are not the graph's " + params.keySet());
        }
    }

    private Param param(Map<String, INDArray> initial, String name) {
        INDArray value = initial.get(name);
        if (value == null) {
            throw new IllegalArgumentException("parameter " + name + " missing");
        }
        Param p = new Param(value.dup('c').data().asFloat());
        params.put(name, p);
        return p;
    }

    /** One Adam step on a batch {@code [batch, features, time]} laid out c-order in {@code input}; returns the loss. */
    double fit(float[] input, int n) {
        double loss = gradients(input, n);
        iteration++;
        double alpha = learningRate * Math.sqrt(1 - Math.pow(BETA2, iteration)) / (1 - Math.pow(BETA1, iteration));
        for (Param p : params.values()) {
            p.adam(alpha);
        }
        return loss;
    }

    /** Fills every parameter's gradient for the batch (no update); returns the loss. */
    double gradients(float[] input, int n) {
        int features = spec.features();
        int time = spec.window();
        ensureBuffers(n);
        for (int s = 0; s < time; s++) {
            for (int k = 0; k < features; k++) {
                double[] row = x[s][k];
                for (int b = 0; b < n; b++) {
                    row[b] = input[(b * features + k) * time + s];
                }
            }
        }
        for (Param p : params.values()) {
            Arrays.fill(p.grad, 0);
        }

        // forward
        encoder0.forward(x, n);
        encoder1.forward(encoder0.h, n);
        double[][] last = encoder1.h[time - 1];
        for (int s = 0; s < time; s++) {
            code[s] = last;
        }
        decoder0.forward(code, n);

        // output layer and loss; dLoss/dOut = 2 (out - x) / N
        int hidden = spec.hidden();
        double scale = 2.0 / ((double) n * features * time);
        double loss = 0;
        for (int s = 0; s < time; s++) {
            double[][] h = decoder0.h[s];
            for (int k = 0; k < features; k++) {
                double[] d = dOut[s][k];
                double bias = outB.value[k];
                for (int b = 0; b < n; b++) {
                    d[b] = bias;
                }
                for (int j = 0; j < hidden; j++) {
                    double w = outW.value[j * features + k];
                    double[] hj = h[j];
                    for (int b = 0; b < n; b++) {
                        d[b] += w * hj[b];
                    }
                }
                double[] target = x[s][k];
                for (int b = 0; b < n; b++) {
                    double diff = d[b] - target[b];
                    loss += diff * diff;
                    d[b] = scale * diff;
                }
            }
        }
        loss /= (double) n * features * time;

        // back: output layer
        for (int s = 0; s < time; s++) {
            double[][] h = decoder0.h[s];
            for (int k = 0; k < features; k++) {
                double[] d = dOut[s][k];
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    sum += d[b];
                }
                outB.grad[k] += sum;
            }
            for (int j = 0; j < hidden; j++) {
                double[] hj = h[j];
                double[] dh = dDecH[s][j];
                Arrays.fill(dh, 0, n, 0);
                for (int k = 0; k < features; k++) {
                    double[] d = dOut[s][k];
                    double w = outW.value[j * features + k];
                    double sum = 0;
                    for (int b = 0; b < n; b++) {
                        sum += hj[b] * d[b];
                        dh[b] += w * d[b];
                    }
                    outW.grad[j * features + k] += sum;
                }
            }
        }
        // decoder, then the code it read at every step is encoder1's last output
        decoder0.backward(code, dDecH, dCodeSteps, n);
        int bottleneck = spec.bottleneck();
        for (int s = 0; s < time; s++) {
            for (double[] row : dEnc1H[s]) {
                Arrays.fill(row, 0, n, 0);
            }
        }
        for (int s = 0; s < time; s++) {
            for (int m = 0; m < bottleneck; m++) {
                double[] sum = dEnc1H[time - 1][m];
                double[] d = dCodeSteps[s][m];
                for (int b = 0; b < n; b++) {
                    sum[b] += d[b];
                }
            }
        }
        encoder1.backward(encoder0.h, dEnc1H, dEnc0H, n);
        encoder0.backward(x, dEnc0H, null, n);
        return loss;
    }

    private void ensureBuffers(int n) {
        if (n <= capacity) {
            return;
        }
        int time = spec.window();
        capacity = n;
        x = new double[time][spec.features()][n];
        dOut = new double[time][spec.features()][n];
        dDecH = new double[time][spec.hidden()][n];
        dEnc0H = new double[time][spec.hidden()][n];
        dEnc1H = new double[time][spec.bottleneck()][n];
        code = new double[time][][];
        dCodeSteps = new double[time][spec.bottleneck()][n];
        encoder0.ensure(time, n);
        encoder1.ensure(time, n);
        decoder0.ensure(time, n);
    }

    /** Current weights, by graph variable name, as float arrays in the graph's c-order layout. */
    Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.floats()));
        return out;
    }

    /** Last computed gradients, by graph variable name (for tests). */
    Map<String, double[]> lastGradients() {
        Map<String, double[]> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.grad.clone()));
        return out;
    }

    /** Replaces the weights and keeps Adam's moments (as ND4J does when parameters are set). */
    void setWeights(Map<String, INDArray> values) {
        values.forEach((name, value) -> {
            Param p = params.get(name);
            if (p == null) {
                throw new IllegalArgumentException("unknown parameter " + name);
            }
            float[] v = value.dup('c').data().asFloat();
            for (int i = 0; i < v.length; i++) {
                p.value[i] = v[i];
            }
        });
    }

    /** One trainable array: value, gradient and Adam's moments. */
    private static final class Param {
        final double[] value;
        final double[] grad;
        final double[] m;
        final double[] v;

        Param(float[] initial) {
            this.value = new double[initial.length];
            for (int i = 0; i < initial.length; i++) {
                value[i] = initial[i];
            }
            this.grad = new double[initial.length];
            this.m = new double[initial.length];
            this.v = new double[initial.length];
        }

        void adam(double alpha) {
            for (int i = 0; i < value.length; i++) {
                double g = grad[i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                value[i] -= alpha * m[i] / (Math.sqrt(v[i]) + EPSILON);
            }
        }

        float[] floats() {
            float[] out = new float[value.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) value[i];
            }
            return out;
        }
    }

    /**
     * One LSTM layer ({@code lstmLayer}, forward, gates i, f, g, o; zero initial state) with what
     * the backward pass needs of every step.
     */
    private static final class Layer {
        final Param w;    // [nIn, 4 nOut]
        final Param rw;   // [nOut, 4 nOut]
        final Param bias; // [4 nOut]
        final int nIn;
        final int nOut;
        double[][][] gates; // activated i, f, g, o per step [time][4 nOut][batch]
        double[][][] c;     // cell state per step [time][nOut][batch]
        double[][][] h;     // output per step [time][nOut][batch]
        double[][] dz;      // [4 nOut][batch]
        double[][] dhNext;  // [nOut][batch]
        double[][] dcNext;  // [nOut][batch]

        Layer(Param w, Param rw, Param bias, int nIn, int nOut) {
            this.w = w;
            this.rw = rw;
            this.bias = bias;
            this.nIn = nIn;
            this.nOut = nOut;
        }

        void ensure(int time, int n) {
            gates = new double[time][4 * nOut][n];
            c = new double[time][nOut][n];
            h = new double[time][nOut][n];
            dz = new double[4 * nOut][n];
            dhNext = new double[nOut][n];
            dcNext = new double[nOut][n];
        }

        void forward(double[][][] in, int n) {
            int g4 = 4 * nOut;
            for (int s = 0; s < in.length; s++) {
                double[][] z = gates[s];
                double[][] x = in[s];
                for (int j = 0; j < g4; j++) {
                    double[] zj = z[j];
                    double bj = bias.value[j];
                    for (int b = 0; b < n; b++) {
                        zj[b] = bj;
                    }
                    for (int k = 0; k < nIn; k++) {
                        double wk = w.value[k * g4 + j];
                        double[] xk = x[k];
                        for (int b = 0; b < n; b++) {
                            zj[b] += wk * xk[b];
                        }
                    }
                    if (s > 0) {
                        double[][] hp = h[s - 1];
                        for (int m = 0; m < nOut; m++) {
                            double rm = rw.value[m * g4 + j];
                            double[] hm = hp[m];
                            for (int b = 0; b < n; b++) {
                                zj[b] += rm * hm[b];
                            }
                        }
                    }
                }
                for (int j = 0; j < nOut; j++) {
                    double[] i = z[j];
                    double[] f = z[nOut + j];
                    double[] g = z[2 * nOut + j];
                    double[] o = z[3 * nOut + j];
                    double[] cj = c[s][j];
                    double[] hj = h[s][j];
                    double[] cp = s > 0 ? c[s - 1][j] : null;
                    for (int b = 0; b < n; b++) {
                        i[b] = sigmoid(i[b]);
                        f[b] = sigmoid(f[b]);
                        g[b] = Math.tanh(g[b]);
                        o[b] = sigmoid(o[b]);
                        cj[b] = (cp == null ? 0 : f[b] * cp[b]) + i[b] * g[b];
                        hj[b] = o[b] * Math.tanh(cj[b]);
                    }
                }
            }
        }

        /**
         * Back propagation through time. {@code dH[s]}: dLoss/dh of step s from above; adds the
         * weight gradients; writes dLoss/dx of every step into {@code dIn} unless it is null.
         */
        void backward(double[][][] in, double[][][] dH, double[][][] dIn, int n) {
            int g4 = 4 * nOut;
            int time = in.length;
            for (int j = 0; j < nOut; j++) {
                Arrays.fill(dhNext[j], 0, n, 0);
                Arrays.fill(dcNext[j], 0, n, 0);
            }
            for (int s = time - 1; s >= 0; s--) {
                double[][] a = gates[s];
                for (int j = 0; j < nOut; j++) {
                    double[] i = a[j];
                    double[] f = a[nOut + j];
                    double[] g = a[2 * nOut + j];
                    double[] o = a[3 * nOut + j];
                    double[] cj = c[s][j];
                    double[] cp = s > 0 ? c[s - 1][j] : null;
                    double[] dh = dH[s][j];
                    double[] dhn = dhNext[j];
                    double[] dcn = dcNext[j];
                    double[] dzi = dz[j];
                    double[] dzf = dz[nOut + j];
                    double[] dzg = dz[2 * nOut + j];
                    double[] dzo = dz[3 * nOut + j];
                    for (int b = 0; b < n; b++) {
                        double dhb = dh[b] + dhn[b];
                        double tc = Math.tanh(cj[b]);
                        double dc = dcn[b] + dhb * o[b] * (1 - tc * tc);
                        dzi[b] = dc * g[b] * i[b] * (1 - i[b]);
                        dzf[b] = cp == null ? 0 : dc * cp[b] * f[b] * (1 - f[b]);
                        dzg[b] = dc * i[b] * (1 - g[b] * g[b]);
                        dzo[b] = dhb * tc * o[b] * (1 - o[b]);
                        dcn[b] = dc * f[b];
                    }
                }
                double[][] x = in[s];
                for (int j = 0; j < g4; j++) {
                    double[] d = dz[j];
                    double sum = 0;
                    for (int b = 0; b < n; b++) {
                        sum += d[b];
                    }
                    bias.grad[j] += sum;
                    for (int k = 0; k < nIn; k++) {
                        double[] xk = x[k];
                        double acc = 0;
                        for (int b = 0; b < n; b++) {
                            acc += xk[b] * d[b];
                        }
                        w.grad[k * g4 + j] += acc;
                    }
                    if (s > 0) {
                        double[][] hp = h[s - 1];
                        for (int m = 0; m < nOut; m++) {
                            double[] hm = hp[m];
                            double acc = 0;
                            for (int b = 0; b < n; b++) {
                                acc += hm[b] * d[b];
                            }
                            rw.grad[m * g4 + j] += acc;
                        }
                    }
                }
                if (dIn != null) {
                    for (int k = 0; k < nIn; k++) {
                        double[] dx = dIn[s][k];
                        Arrays.fill(dx, 0, n, 0);
                        for (int j = 0; j < g4; j++) {
                            double wk = w.value[k * g4 + j];
                            double[] d = dz[j];
                            for (int b = 0; b < n; b++) {
                                dx[b] += wk * d[b];
                            }
                        }
                    }
                }
                for (int m = 0; m < nOut; m++) {
                    double[] dhn = dhNext[m];
                    Arrays.fill(dhn, 0, n, 0);
                    if (s == 0) {
                        continue;
                    }
                    for (int j = 0; j < g4; j++) {
                        double rm = rw.value[m * g4 + j];
                        double[] d = dz[j];
                        for (int b = 0; b < n; b++) {
                            dhn[b] += rm * d[b];
                        }
                    }
                }
            }
        }

        private static double sigmoid(double v) {
            return 1 / (1 + Math.exp(-v));
        }
    }
}
