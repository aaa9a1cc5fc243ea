package io.vigil.simulator;

import io.vigil.reading.DeviceSeries;
import io.vigil.topology.SensorTopology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import io.vigil.security.MqttSecurity;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Publishes a simulated fleet over MQTT v5 like real sensors: one batch per device every
 * {@code batchMs} of simulated time to {@code <topic prefix><device id>}, QoS 1, paced against the
 * wall clock. In-flight publishes stay within the broker's receive maximum.
 */
public final class MqttFleetPublisher {

    public static final int QOS = 1;
    /** What MQTT 5 assumes when the CONNACK carries no receive maximum. */
    static final int MQTT_DEFAULT_RECEIVE_MAXIMUM = 65_535;
    private static final long CONNECT_TIMEOUT_MS = 15_000;
    private static final long DRAIN_TIMEOUT_MS = 30_000;

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

    /** Totals so far; also the final result. */
    public record Progress(long samples, long messages, double elapsedSeconds, double simulatedSeconds) {
        public double samplesPerSecond() {
            return elapsedSeconds > 0 ? samples / elapsedSeconds : 0;
        }
    }

    private final SensorTopology topology;
    private final MqttSecurity security;

    public MqttFleetPublisher(SensorTopology topology) {
        this(topology, MqttSecurity.NONE);
    }

    /** A publisher that authenticates and verifies the broker as {@code security} says. */
    public MqttFleetPublisher(SensorTopology topology, MqttSecurity security) {
        this.topology = topology;
        this.security = security;
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
        String prefix = topicPrefix(topology.mqttTopicFilter());
        BatchPayload payload = new BatchPayload(topology.payload(), scenario.rateHz());
        int batchSamples = (int) Math.max(1, Math.round(scenario.rateHz() * options.batchMs() / 1000.0));
        long total = scenario.samplesIn(options.seconds());

        MqttAsyncClient client = new MqttAsyncClient(options.broker(),
                "vigil-sim-" + scenario.name() + "-" + ProcessHandle.current().pid(), new MemoryPersistence());
        try {
            int receiveMaximum = connect(client, security.apply(new MqttConnectionOptions(), options.broker()));
            Sender sender = new Sender(client, Math.min(options.maxInFlight(), receiveMaximum));
            Fleet.Run run = fleet.start(options.startMs());
            long started = System.nanoTime();
            long nextReport = started + progressEvery.toNanos();
            long samples = 0;
            long messages = 0;
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
                if (System.nanoTime() >= nextReport) {
                    progress.accept(progress(samples, messages, started, done / scenario.rateHz()));
                    nextReport += progressEvery.toNanos();
                }
            }
            sender.drain();
            return progress(samples, messages, started, total / scenario.rateHz());
        } finally {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(CONNECT_TIMEOUT_MS);
            }
            client.close();
        }
    }

    /** Connects with a clean session; returns the broker's receive maximum. */
    private static int connect(MqttAsyncClient client, MqttConnectionOptions options) throws MqttException {
        options.setCleanStart(true);             // a publisher has no session to resume
        options.setSessionExpiryInterval(0L);    // seconds; drop the session on disconnect
        options.setConnectionTimeout(10);        // seconds
        options.setAutomaticReconnect(false);    // a lost broker ends the run with an error
        IMqttToken token = client.connect(options);
        token.waitForCompletion(CONNECT_TIMEOUT_MS);
        MqttProperties properties = token.getResponseProperties();
        Integer receiveMaximum = properties == null ? null : properties.getReceiveMaximum();
        return receiveMaximum == null || receiveMaximum < 1 ? MQTT_DEFAULT_RECEIVE_MAXIMUM : receiveMaximum;
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

    /** QoS 1 publishing with at most {@code limit} publishes awaiting their PUBACK. */
    private static final class Sender implements MqttActionListener {

        private final MqttAsyncClient client;
        private final int limit;
        private final Semaphore inFlight;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Sender(MqttAsyncClient client, int limit) {
            this.client = client;
            this.limit = limit;
            this.inFlight = new Semaphore(limit);
        }

        void send(String topic, byte[] payload) throws MqttException, InterruptedException {
            rethrowFailure();
            inFlight.acquire();
            while (true) {
                try {
                    client.publish(topic, payload, QOS, false, null, this);
                    return;
                } catch (MqttException e) {
                    // Paho may count an acknowledged publish a moment after our callback ran
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        inFlight.release();
                        throw e;
                    }
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
        }

        /** Waits until the broker has acknowledged every publish. */
        void drain() throws MqttException, InterruptedException {
            if (!inFlight.tryAcquire(limit, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            rethrowFailure();
        }

        @Override
        public void onSuccess(IMqttToken token) {
            inFlight.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            failure.compareAndSet(null, exception);
            inFlight.release();
        }

        private void rethrowFailure() throws MqttException {
            Throwable cause = failure.get();
            if (cause instanceof MqttException e) {
                throw e;
            }
            if (cause != null) {
                throw new MqttException(cause);
            }
        }
    }
}
