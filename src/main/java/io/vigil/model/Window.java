package io.vigil.model;

/**
 * One window cut from a device's samples, ready for the autoencoder.
 *
 * @param startMs time of the first sample in the window
 * @param endMs   time of the last sample in the window
 * @param values  raw (not normalized) values, {@code [features][time]}
 */
public record Window(long startMs, long endMs, float[][] values) {

    public int features() {
        return values.length;
    }

    public int length() {
        return values[0].length;
    }
}
