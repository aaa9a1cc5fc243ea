package io.vigil.payload;

import java.util.regex.Pattern;

/**
 * Device ids: the last level of a reading's MQTT topic, and the Kafka key of its records. Letters
 * and digits first, then letters, digits, {@code _ . : -}; 1 to 64 characters. This keeps ids safe
 * as an MQTT topic level (no {@code / + #}), as a Kafka key, a metric tag and a file name.
 */
public final class DeviceIds {

    /** The documented device-id pattern. */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

    public static final int MAX_LENGTH = 64;

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private DeviceIds() {
    }

    public static boolean isValid(String deviceId) {
        return deviceId != null && deviceId.length() <= MAX_LENGTH && COMPILED.matcher(deviceId).matches();
    }

    /** The device id of an MQTT topic: its last level ({@code vigil/vibration/bearing-7} → {@code bearing-7}). */
    public static String fromTopic(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }
}
