package io.vigil.pipeline;

import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A simulated fleet publishing over MQTT on a thread of its own, like sensors in the field; the
 * future completes with the publisher's totals once the broker has acknowledged every message.
 */
public final class FleetRun implements AutoCloseable {

    /** Simulated milliseconds per MQTT message and device: 10 samples per message at 100 Hz, as gateways batch. */
    public static final int BATCH_MS = 100;
    /** Unacknowledged publishes at most; lowered to the broker's receive maximum. */
    public static final int MAX_IN_FLIGHT = 1000;

    private final Fleet fleet;
    private final SensorKind kind;
    private final MqttFleetPublisher.Options options;
    private final Duration progressEvery;
    private final Consumer<MqttFleetPublisher.Progress> progress;
    private final Thread thread = new Thread(this::publish, "vigil-fleet");
    private final CompletableFuture<MqttFleetPublisher.Progress> done = new CompletableFuture<>();
    private final AtomicReference<MqttFleetPublisher.Progress> latest = new AtomicReference<>();

    private FleetRun(Fleet fleet, SensorKind kind, MqttFleetPublisher.Options options, Duration progressEvery,
                     Consumer<MqttFleetPublisher.Progress> progress) {
        this.fleet = fleet;
        this.kind = kind;
        this.options = options;
        this.progressEvery = progressEvery;
        this.progress = progress;
        thread.setDaemon(true);
    }

    /**
     * Starts publishing {@code seconds} of the fleet to {@code broker}.
     *
     * @param speed   simulated seconds per wall-clock second; 0 = as fast as the broker takes it
     * @param startMs sensor time of the first sample, epoch ms
     */
    public static FleetRun start(Fleet fleet, SensorKind kind, String broker, double speed, int batchMs,
                                 double seconds, long startMs, Duration progressEvery,
                                 Consumer<MqttFleetPublisher.Progress> progress) {
        FleetRun run = new FleetRun(fleet, kind,
                new MqttFleetPublisher.Options(broker, speed, batchMs, MAX_IN_FLIGHT, seconds, startMs),
                progressEvery, progress);
        run.thread.start();
        return run;
    }

    private void publish() {
        try {
            done.complete(new MqttFleetPublisher(kind).publish(fleet, options, progressEvery, p -> {
                latest.set(p);
                progress.accept(p);
            }));
        } catch (InterruptedException e) {
            done.cancel(false);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    /** Completes with the totals when every sample is published and acknowledged. */
    public CompletableFuture<MqttFleetPublisher.Progress> done() {
        return done;
    }

    /** The latest progress report, null before the first. */
    public MqttFleetPublisher.Progress latest() {
        return latest.get();
    }

    /** Stops publishing (if still running) and waits for the publisher to disconnect. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
