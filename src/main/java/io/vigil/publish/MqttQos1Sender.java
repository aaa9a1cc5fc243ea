package io.vigil.publish;

import io.vigil.security.MqttSecurity;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho MQTT v5 publisher for readings, shared by the simulator and the replayer: clean session,
 * QoS 1, at most {@code min(maxInFlight, broker receive maximum)} publishes awaiting their PUBACK.
 */
public final class MqttQos1Sender implements MqttActionListener, AutoCloseable {

    public static final int QOS = 1;
    /** What MQTT 5 assumes when the CONNACK carries no receive maximum. */
    static final int MQTT_DEFAULT_RECEIVE_MAXIMUM = 65_535;
    private static final long CONNECT_TIMEOUT_MS = 15_000;
    private static final long DRAIN_TIMEOUT_MS = 30_000;

    private final MqttAsyncClient client;
    private final int limit;
    private final Semaphore inFlight;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private MqttQos1Sender(MqttAsyncClient client, int limit) {
        this.client = client;
        this.limit = limit;
        this.inFlight = new Semaphore(limit);
    }

    /** Connects to {@code broker} (e.g. {@code tcp://localhost:1883}) as {@code clientId}. */
    public static MqttQos1Sender connect(String broker, String clientId, int maxInFlight) throws MqttException {
        return connect(broker, clientId, maxInFlight, MqttSecurity.NONE);
    }

    /** Connects as {@link #connect(String, String, int)}, authenticating and verifying the broker as {@code security} says. */
    public static MqttQos1Sender connect(String broker, String clientId, int maxInFlight, MqttSecurity security)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);             // a publisher has no session to resume
            options.setSessionExpiryInterval(0L);    // seconds; drop the session on disconnect
            options.setConnectionTimeout(10);        // seconds
            options.setAutomaticReconnect(false);    // a lost broker ends the run with an error
            IMqttToken token = client.connect(security.apply(options, broker));
            token.waitForCompletion(CONNECT_TIMEOUT_MS);
            MqttProperties properties = token.getResponseProperties();
            Integer receiveMaximum = properties == null ? null : properties.getReceiveMaximum();
            int brokerMax = receiveMaximum == null || receiveMaximum < 1 ? MQTT_DEFAULT_RECEIVE_MAXIMUM : receiveMaximum;
            return new MqttQos1Sender(client, Math.min(maxInFlight, brokerMax));
        } catch (MqttException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Publishes with QoS 1; blocks while the in-flight window is full. */
    public void send(String topic, byte[] payload) throws MqttException, InterruptedException {
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

    /** Publishes sent and not yet acknowledged by the broker. */
    public int inFlight() {
        return limit - inFlight.availablePermits();
    }

    /** Waits until the broker has acknowledged every publish. */
    public void drain() throws MqttException, InterruptedException {
        if (!inFlight.tryAcquire(limit, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
        }
        inFlight.release(limit);
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

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(CONNECT_TIMEOUT_MS);
        }
        client.close();
    }
}
