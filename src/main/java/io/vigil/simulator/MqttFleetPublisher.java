package io.vigil.simulator;

import io.vigil.payload.BatchPayload;
import io.vigil.payload.PayloadParser;
import io.vigil.publish.MqttQos1Sender;
import io.vigil.reading.DeviceSeries;
import io.vigil.security.MqttSecurity;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Publishes a simulated fleet over MQTT v5 like real sensors: one batch per device every
 * {@code batchMs} of simulated time to {@code <topic prefix><device id>}, QoS 1, paced against the
 * wall clock. In-flight publishes stay within the broker's receive maximum.
 */
public final class MqttFleetPublisher {

    public static final int QOS = MqttQos1Sender.QOS;

    /**
     * @param broker      e.g. {@code tcp://localhost:1883}
     * @param speed       simulated seconds per wall-clock second; 0 = as fast as the broker takes it
     * @param batchMs     simulated milliseconds per published batch
     * @param maxInFlight upper bound on unacknowledged publishes (lowered to the broker's receive maximum)
     * @param seconds     simulated seconds to publish
     * @param startMs     epoch milliseconds of the first sample
     */
    public record Options(String broker, double speed, int batchMs, int maxInFlight, double seconds, long startMs) {
    }

    /**
     * When a fleet started now should start: now, unless publishing {@code seconds} of sensor time at
     * {@code speed} (0 = as fast as possible) would stamp samples further ahead of the wall clock than
     * the bridge accepts ({@link PayloadParser#MAX_CLOCK_AHEAD}, less a minute); then that much earlier,
     * so a fast run's last samples are not dead-lettered as BAD_TIMESTAMP.
     */
    public static long startFor(long nowMs, double seconds, double speed) {
        double wallSeconds = speed > 0 ? seconds / speed : 0;
        long aheadMs = (long) Math.ceil((seconds - wallSeconds) * 1000); // the last sample's lead over the wall clock
        long allowedMs = PayloadParser.MAX_CLOCK_AHEAD.minusMinutes(1).toMillis();
        return nowMs - Math.max(0, aheadMs - allowedMs);
    }

    /** Totals so far; also the final result. */
    public record Progress(long samples, long messages, double elapsedSeconds, double simulatedSeconds) {
        public double samplesPerSecond() {
            return elapsedSeconds > 0 ? samples / elapsedSeconds : 0;
        }
    }

    private final SensorKind kind;
    private final MqttSecurity security;
    private final SimulatorMetrics metrics;

    public MqttFleetPublisher(SensorKind kind) {
        this(kind, MqttSecurity.NONE, SimulatorMetrics.none());
    }

    /**
     * A publisher that authenticates and verifies the broker as {@code security} says and counts what
     * it publishes in {@code metrics}.
     */
    public MqttFleetPublisher(SensorKind kind, MqttSecurity security, SimulatorMetrics metrics) {
        this.kind = kind;
        this.security = security;
        this.metrics = metrics;
    }

    /** {@code vigil/vibration/+} → {@code vigil/vibration/}: the device id is the last level. */
    public static String topicPrefix(String topicFilter) {
        return topicFilter.substring(0, topicFilter.length() - 1);
    }

    /**
     * Publishes {@code options.seconds()} of {@code fleet}, reporting to {@code progress} every
     * {@code progressEvery}; returns the totals once the broker has acknowledged every publish.
     */
    public Progress publish(Fleet fleet, Options options, Duration progressEvery, Consumer<Progress> progress)
            throws MqttException, InterruptedException {
        Scenario scenario = fleet.scenario();
        String prefix = topicPrefix(kind.mqttTopicFilter());
        BatchPayload payload = new BatchPayload(kind.payload(), scenario.rateHz());
        int batchSamples = (int) Math.max(1, Math.round(scenario.rateHz() * options.batchMs() / 1000.0));
        long total = scenario.samplesIn(options.seconds());

        try (MqttQos1Sender sender = MqttQos1Sender.connect(options.broker(),
                "vigil-sim-" + scenario.name() + "-" + ProcessHandle.current().pid(), options.maxInFlight(), security);
             SimulatorMetrics.Run meters = metrics.start(kind.name(), scenario.deviceCount(), sender::inFlight)) {
            Fleet.Run run = fleet.start(options.startMs());
            long started = System.nanoTime();
            long nextReport = started + progressEvery.toNanos();
            long samples = 0;
            long messages = 0;
            try {
                for (long done = 0; done < total; ) {
                    int n = (int) Math.min(batchSamples, total - done);
                    // a sensor publishes a batch once its last sample is measured
                    pace(started, (done + n) / scenario.rateHz(), options.speed());
                    List<DeviceSeries> batch = run.next(n);
                    for (DeviceSeries device : batch) {
                        sender.send(prefix + device.device(), payload.json(device, 0, n));
                    }
                    done += n;
                    samples += (long) n * batch.size();
                    messages += batch.size();
                    meters.published(batch.size(), (long) n * batch.size());
                    if (System.nanoTime() >= nextReport) {
                        progress.accept(progress(samples, messages, started, done / scenario.rateHz()));
                        nextReport += progressEvery.toNanos();
                    }
                }
                sender.drain();
            } catch (MqttException e) {
                meters.failed();
                throw e;
            }
            return progress(samples, messages, started, total / scenario.rateHz());
        }
    }

    /** Sleeps until simulated time {@code simulatedSeconds} is due at {@code speed}. */
    private static void pace(long startedNanos, double simulatedSeconds, double speed) throws InterruptedException {
        if (speed <= 0) {
            return;
        }
        long due = startedNanos + (long) (simulatedSeconds / speed * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static Progress progress(long samples, long messages, long startedNanos, double simulatedSeconds) {
        return new Progress(samples, messages, (System.nanoTime() - startedNanos) / 1e9, simulatedSeconds);
    }
}
