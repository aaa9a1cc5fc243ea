package io.vigil.simulator;

import io.vigil.reading.DeviceSeries;
import java.util.Random;

/**
 * One simulated bearing: a Lorenz oscillator that its own seed has put somewhere on the healthy
 * attractor (so devices are out of phase), a fault schedule, and optional Gaussian measurement
 * noise. Stateful: each {@link #next} continues where the previous call stopped.
 */
public final class DeviceSimulator {

    /** Burn-in steps before the first sample: enough to land on the attractor from (2, 3, 4). */
    static final int MIN_BURN_IN = 500;
    /** Extra seed-dependent burn-in, up to this many steps, puts devices at different phases. */
    static final int MAX_EXTRA_BURN_IN = 5000;

    private final String device;
    private final FaultSchedule faults;
    private final double rateHz;
    private final double noiseStd;
    private final long startMs;
    private final LorenzOscillator oscillator = new LorenzOscillator();
    private final Random noise;
    private long index;

    /**
     * @param device   device id
     * @param seed     sets the burn-in (phase) and the noise; same seed, same samples
     * @param faults   fault fraction over elapsed seconds
     * @param rateHz   samples per second; sets timestamps and elapsed time, not the Euler step
     * @param noiseStd standard deviation of the Gaussian noise added to each value (0 = none)
     * @param startMs  epoch milliseconds of the first sample
     */
    public DeviceSimulator(String device, long seed, FaultSchedule faults, double rateHz, double noiseStd,
                           long startMs) {
        if (!(rateHz > 0) || !(noiseStd >= 0)) {
            throw new IllegalArgumentException("rateHz must be > 0 and noiseStd >= 0, got " + rateHz + ", " + noiseStd);
        }
        this.device = device;
        this.faults = faults;
        this.rateHz = rateHz;
        this.noiseStd = noiseStd;
        this.startMs = startMs;
        this.noise = new Random(seed);
        int burnIn = MIN_BURN_IN + noise.nextInt(MAX_EXTRA_BURN_IN + 1);
        for (int i = 0; i < burnIn; i++) {
            oscillator.step(LorenzParameters.HEALTHY);
        }
    }

    public String device() {
        return device;
    }

    /** Samples produced so far. */
    public long samplesProduced() {
        return index;
    }

    /** Epoch milliseconds of sample {@code i} (0-based), rounded to the millisecond. */
    public long timestampOf(long i) {
        return startMs + Math.round(i * 1000.0 / rateHz);
    }

    /**
     * The next {@code count} samples: {x, y, z} per sample, label 1 where the fault fraction at the
     * sample's time is above zero. The sample is read after its Euler step.
     */
    public DeviceSeries next(int count) {
        long[] ts = new long[count];
        double[][] values = new double[count][3];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++, index++) {
            double fraction = faults.fraction(index / rateHz);
            oscillator.step(LorenzParameters.between(LorenzParameters.HEALTHY, LorenzParameters.BROKEN, fraction));
            oscillator.stateInto(values[i]);
            if (noiseStd > 0) {
                for (int f = 0; f < 3; f++) {
                    values[i][f] += noiseStd * noise.nextGaussian();
                }
            }
            ts[i] = timestampOf(index);
            labels[i] = fraction > 0 ? 1 : 0;
        }
        return new DeviceSeries(device, ts, values, labels);
    }
}
