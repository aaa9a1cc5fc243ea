package io.vigil.payload;

/**
 * Fixed six-decimal text for sample values, without {@code String.format}: a fleet CSV has
 * millions of values and the format parser would dominate the run. Always '.' as separator.
 */
public final class Decimals {

    private static final double SCALE = 1e6;
    /** Beyond this the scaled value no longer fits a long exactly; such values are written plainly. */
    private static final double LIMIT = 9e12;

    private Decimals() {
    }

    public static StringBuilder appendFixed6(StringBuilder out, double value) {
        if (!Double.isFinite(value) || Math.abs(value) >= LIMIT) {
            return out.append(value);
        }
        long scaled = Math.round(Math.abs(value) * SCALE);
        if (value < 0 && scaled != 0) {
            out.append('-');
        }
        out.append(scaled / 1_000_000).append('.');
        String fraction = Long.toString(scaled % 1_000_000);
        for (int i = fraction.length(); i < 6; i++) {
            out.append('0');
        }
        return out.append(fraction);
    }
}
