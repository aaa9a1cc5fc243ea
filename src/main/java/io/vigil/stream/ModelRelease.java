package io.vigil.stream;

/**
 * A bundle accepted from the models topic: checked once by {@link ModelFeed}, then loaded by every
 * scoring task into its own network.
 *
 * @param offset  its offset on the models topic: a later release has a larger one (a roll-back is a new release)
 * @param version the bundle's version id
 * @param bundle  the bundle's zip bytes
 */
public record ModelRelease(long offset, String version, byte[] bundle) {
}
