package io.vigil.stream;

import io.vigil.model.Window;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A window cut but not yet scored, as kept in the pending store until its score is published.
 *
 * @param deviceId the device the window belongs to
 */
public record PendingWindow(String deviceId, Window window) {

    private static final byte FORMAT = 1;

    /**
     * Store key: device, then the zero-padded window start, so a store scan yields each device's
     * windows in time order (the order alerting needs).
     */
    public String key() {
        return deviceId + '|' + String.format("%019d", window.startMs());
    }

    public byte[] toBytes() {
        byte[] device = deviceId.getBytes(StandardCharsets.UTF_8);
        int features = window.features();
        int length = window.length();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + device.length + 8 + 8 + 4 + 4 + 4 * features * length);
        buffer.put(FORMAT).putInt(device.length).put(device)
                .putLong(window.startMs()).putLong(window.endMs()).putInt(features).putInt(length);
        for (float[] feature : window.values()) {
            for (float v : feature) {
                buffer.putFloat(v);
            }
        }
        return buffer.array();
    }

    public static PendingWindow fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != FORMAT) {
            throw new IllegalArgumentException("pending window in unknown format " + bytes[0]);
        }
        byte[] device = new byte[buffer.getInt()];
        buffer.get(device);
        long start = buffer.getLong();
        long end = buffer.getLong();
        float[][] values = new float[buffer.getInt()][buffer.getInt()];
        for (float[] feature : values) {
            for (int t = 0; t < feature.length; t++) {
                feature[t] = buffer.getFloat();
            }
        }
        return new PendingWindow(new String(device, StandardCharsets.UTF_8), new Window(start, end, values));
    }
}
