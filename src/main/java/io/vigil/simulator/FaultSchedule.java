package io.vigil.simulator;

import java.util.Locale;

/**
 * When a device is faulty: the fault fraction in [0, 1] at {@code t} seconds after the start of a
 * simulation. 0 is healthy, 1 is fully broken; the simulator interpolates the Lorenz parameters
 * between the two (see {@link LorenzParameters#between}).
 */
public sealed interface FaultSchedule {

    /** The names used in scenario files, in the order the modes are documented. */
    String NONE = "none";
    String SUDDEN = "sudden";
    String GRADUAL = "gradual";
    String INTERMITTENT = "intermittent";

    double fraction(double t);

    /** Scenario-file name of this mode. */
    String mode();

    /** Parameters at {@code t}: healthy and broken mixed by {@link #fraction}. */
    default LorenzParameters parametersAt(double t) {
        return LorenzParameters.between(LorenzParameters.HEALTHY, LorenzParameters.BROKEN, fraction(t));
    }

    /** Healthy for ever. */
    record None() implements FaultSchedule {
        @Override
        public double fraction(double t) {
            return 0;
        }

        @Override
        public String mode() {
            return NONE;
        }
    }

    /** Healthy before {@code at} seconds, broken from then on. */
    record Sudden(double at) implements FaultSchedule {
        public Sudden {
            requireNonNegative("at", at);
        }

        @Override
        public double fraction(double t) {
            return t < at ? 0 : 1;
        }

        @Override
        public String mode() {
            return SUDDEN;
        }
    }

    /** Wear: fraction rises linearly from 0 at {@code start} to 1 at {@code start + duration}. */
    record Gradual(double start, double duration) implements FaultSchedule {
        public Gradual {
            requireNonNegative("start", start);
            requirePositive("duration", duration);
        }

        @Override
        public double fraction(double t) {
            if (t <= start) {
                return 0;
            }
            return Math.min(1, (t - start) / duration);
        }

        @Override
        public String mode() {
            return GRADUAL;
        }
    }

    /**
     * A loose part: from {@code start}, broken for the first {@code burst} seconds of every
     * {@code period} seconds, healthy in between.
     */
    record Intermittent(double start, double burst, double period) implements FaultSchedule {
        public Intermittent {
            requireNonNegative("start", start);
            requirePositive("burst", burst);
            requirePositive("period", period);
            if (burst >= period) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "burst (%s s) must be shorter than period (%s s)", burst, period));
            }
        }

        @Override
        public double fraction(double t) {
            if (t < start) {
                return 0;
            }
            return (t - start) % period < burst ? 1 : 0;
        }

        @Override
        public String mode() {
            return INTERMITTENT;
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }
}
