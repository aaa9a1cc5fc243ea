package io.vigil.simulator;

/**
 * The Lorenz system integrated by forward Euler, one step per sample, exactly as the IBM series
 * that Vigil's simulator comes from: x first, then y with the new x, then z with the new x and y.
 * Changing parameters between steps switches a bearing's state; the trajectory carries on.
 */
public final class LorenzOscillator {

    /** Euler step size; fixed, independent of the sample rate (one step per sample). */
    public static final double STEP = 0.008;
    public static final double START_X = 2;
    public static final double START_Y = 3;
    public static final double START_Z = 4;

    private double x = START_X;
    private double y = START_Y;
    private double z = START_Z;

    /** Advances one Euler step under {@code p}. */
    public void step(LorenzParameters p) {
        x += STEP * p.sigma() * (y - x);
        y += STEP * (x * (p.rho() - z) - y);
        z += STEP * (x * y - p.beta() * z);
    }

    /** Current state {x, y, z}, a fresh array. */
    public double[] state() {
        return new double[] {x, y, z};
    }

    /** Writes the current state into {@code into[0..2]}. */
    public void stateInto(double[] into) {
        into[0] = x;
        into[1] = y;
        into[2] = z;
    }
}
