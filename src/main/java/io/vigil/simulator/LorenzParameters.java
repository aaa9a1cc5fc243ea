package io.vigil.simulator;

/**
 * The three Lorenz parameters. {@link #HEALTHY} is the classic chaotic attractor; {@link #BROKEN}
 * is the faulty bearing: about 4x the amplitude and extra frequencies (MISSION.md).
 */
public record LorenzParameters(double sigma, double rho, double beta) {

    public static final LorenzParameters HEALTHY = new LorenzParameters(10, 28, 8.0 / 3);
    public static final LorenzParameters BROKEN = new LorenzParameters(30, 128, 28.0 / 3);

    /**
     * Linear interpolation: {@code fraction} 0 gives {@code healthy}, 1 gives {@code broken}; a
     * gradual fault walks the line between them.
     */
    public static LorenzParameters between(LorenzParameters healthy, LorenzParameters broken, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fault fraction must be in [0, 1], got " + fraction);
        }
        if (fraction == 0) {
            return healthy;
        }
        if (fraction == 1) {
            return broken;
        }
        return new LorenzParameters(
                lerp(healthy.sigma, broken.sigma, fraction),
                lerp(healthy.rho, broken.rho, fraction),
                lerp(healthy.beta, broken.beta, fraction));
    }

    private static double lerp(double from, double to, double fraction) {
        return from + (to - from) * fraction;
    }
}
