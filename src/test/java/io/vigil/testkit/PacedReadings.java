package io.vigil.testkit;

import io.vigil.kind.SensorKind;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.reading.DeviceSeries;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Sensors that write readings straight onto a kind's readings topic (no MQTT): {@code batch} samples per
 * device at a time, paced to {@code speed} sensor seconds per wall second, until the series end or
 * {@code stop} says so; {@code published} hears how many samples each round sent.
 */
public final class PacedReadings {

    private PacedReadings() {
    }

    public static void publish(String bootstrap, SensorKind kind, List<DeviceSeries> series, int batch, double speed,
            String clientId, BooleanSupplier stop, IntConsumer published) {
        try (KafkaReadingSink sink = new KafkaReadingSink(bootstrap, kind.kafka().readings(), kind.sampleRateHz(),
                clientId)) {
            long started = System.nanoTime();
            int samples = series.get(0).size();
            for (int from = 0; from < samples && !stop.getAsBoolean(); from += batch) {
                int to = Math.min(samples, from + batch);
                long wait = started + (long) (to / kind.sampleRateHz() / speed * 1e9) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing sensors, not waiting for a condition
                }
                for (DeviceSeries device : series) {
                    sink.send(device, from, to);
                }
                published.accept((to - from) * series.size());
            }
            sink.finish();
        } catch (Exception e) {
            throw new IllegalStateException("sensors failed: " + e.getMessage(), e);
        }
    }
}
