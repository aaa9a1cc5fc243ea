package io.vigil.bench;

import io.vigil.model.Windower;
import java.util.Arrays;
import java.util.Random;

/**
 * The cost of a topology's front-end and windowing per raw sample: one device's {@link Windower} (the
 * stream's and training's code) fed reproducible Gaussian samples, timed over whole runs. The values do not
 * change the work (every frame costs the same FFTs), so noise stands in for a recording.
 */
public final class FrontEndBench {

    /**
     * @param nanosPerSample every timed run's wall-clock nanoseconds per raw sample, in run order
     * @param windows        windows cut in one run
     * @param stateBytes     the windower's serialized state: what the stream's store keeps per device
     */
    public record Result(double[] nanosPerSample, long windows, int stateBytes) {

        public double median() {
            double[] sorted = nanosPerSample.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private FrontEndBench() {
    }

    /** One untimed warm-up run (the JIT), then {@code runs} timed runs of {@code samples} samples each. */
    public static Result run(Windower.Shape shape, int samples, int runs) {
        double[][] values = new double[samples][shape.features()];
        Random random = new Random(42);
        for (double[] v : values) {
            for (int f = 0; f < v.length; f++) {
                v[f] = random.nextGaussian() * 0.05;
            }
        }
        long[] windows = new long[1];
        once(shape, values, windows);
        double[] nanos = new double[runs];
        for (int r = 0; r < runs; r++) {
            windows[0] = 0;
            long started = System.nanoTime();
            once(shape, values, windows);
            nanos[r] = (System.nanoTime() - started) / (double) samples;
        }
        return new Result(nanos, windows[0], new Windower(shape).toBytes().length);
    }

    private static void once(Windower.Shape shape, double[][] values, long[] windows) {
        Windower windower = new Windower(shape);
        for (int i = 0; i < values.length; i++) {
            windower.add(i, values[i], w -> windows[0]++);
        }
    }
}
