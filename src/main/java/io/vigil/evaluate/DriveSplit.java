package io.vigil.evaluate;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Assigns whole drives to training or test by a hash of the serial number: stable across runs and
 * machines, independent of row order, and never splitting one drive's days between the two sets.
 */
public record DriveSplit(double testShare) {

    public DriveSplit {
        if (!(testShare > 0 && testShare < 1)) {
            throw new IllegalArgumentException("test share must be in (0, 1), got " + testShare);
        }
    }

    public boolean isTest(String serial) {
        CRC32 crc = new CRC32();
        crc.update(serial.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() % 10_000) < Math.round(testShare * 10_000);
    }
}
