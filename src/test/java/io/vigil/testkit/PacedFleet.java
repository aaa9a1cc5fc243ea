package io.vigil.testkit;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault tests' load: single-sample vibration readings at a fixed rate, spread round-robin over
 * {@code devices} devices ({@code <prefix>0}, {@code <prefix>1}, …), reading {@code i} stamped
 * {@code ts0 + i} with {@code x = i}, so every reading is distinct and traceable.
 */
public final class PacedFleet {

    /** Where a reading goes: an MQTT publisher of the caller's choice. */
    public interface Sender {
        void send(String topic, byte[] payload) throws Exception;
    }

    private PacedFleet() {
    }

    public static void publish(Sender sender, String devicePrefix, int devices, int readings, int ratePerSecond, long ts0,
                        AtomicInteger published) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < readings; i++) {
            long wait = started + (long) i * 1_000_000_000L / ratePerSecond - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing a publisher, not waiting for a condition
            }
            String json = "{\"ts\": " + (ts0 + i) + ", \"x\": " + i + ", \"y\": 0, \"z\": 1}";
            sender.send("vigil/vibration/" + devicePrefix + (i % devices), json.getBytes(StandardCharsets.UTF_8));
            published.incrementAndGet();
        }
    }
}
