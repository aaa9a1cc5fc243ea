package io.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Test publisher that outlives a broker restart, as a sensor gateway with a store-and-forward buffer
 * would: QoS 1, and every message kept until the broker acknowledges it. When the connection drops,
 * the publishing thread itself reconnects (every {@link #RETRY} while the broker is away) and first
 * publishes again whatever is still unacknowledged. A message the broker took but whose PUBACK was
 * lost with the connection is therefore published twice (the tests count it as a duplicate). The
 * guarantee under test is the bridge's, from broker to Kafka; this only makes sure the broker is
 * offered every reading. Not thread-safe: one publishing thread.
 */
public final class ResendingPublisher implements AutoCloseable {

    /** Unacknowledged messages at most; under mosquitto's 1000 in-flight per client. */
    public static final int WINDOW = 500;
    /** Between reconnect attempts while the broker is away. */
    public static final Duration RETRY = Duration.ofMillis(200);

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final Map<Long, Message> unacked = new ConcurrentSkipListMap<>(); // in publish order, for resending
    private final Semaphore window = new Semaphore(WINDOW);
    private final MqttActionListener acknowledged = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            if (unacked.remove((Long) token.getUserContext()) != null) { // a resent message is acknowledged twice
                window.release();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            // stays unacknowledged: published again after the reconnect
        }
    };
    private volatile int reconnects; // read by the test thread
    private long resent;
    private long nextAttempt;
    private long nextId;

    private record Message(String topic, byte[] payload) {
    }

    private ResendingPublisher(MqttAsyncClient client, MqttConnectionOptions options) {
        this.client = client;
        this.options = options;
    }

    public static ResendingPublisher connect(String broker, String clientId) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);             // the unacknowledged messages are ours to resend, not a session's
        options.setSessionExpiryInterval(0L);    // seconds
        options.setAutomaticReconnect(false);    // the publishing thread reconnects, then resends, then goes on
        options.setConnectionTimeout(2);         // seconds
        MqttAsyncClient client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
        client.connect(options).waitForCompletion(15_000);
        return new ResendingPublisher(client, options);
    }

    /** Publishes with QoS 1; blocks while {@link #WINDOW} messages await their acknowledgement. */
    public void send(String topic, byte[] payload) throws InterruptedException {
        reconnectIfLost();
        while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            reconnectIfLost(); // the window stays full until the broker is back and has the resent messages
        }
        long id = nextId++;
        Message message = new Message(topic, payload);
        unacked.put(id, message);
        publish(id, message);
    }

    /** Waits until the broker has acknowledged every message, reconnecting and resending as needed. */
    public void drain(Duration atMost) {
        await().atMost(atMost).pollInSameThread().until(() -> {
            reconnectIfLost();
            return unacked.isEmpty();
        });
    }

    /** Reconnections so far. */
    public int reconnects() {
        return reconnects;
    }

    /** Messages published again after a reconnect. */
    public long resent() {
        return resent;
    }

    private void reconnectIfLost() {
        if (client.isConnected() || System.nanoTime() < nextAttempt) {
            return;
        }
        nextAttempt = System.nanoTime() + RETRY.toNanos();
        try {
            client.connect(options).waitForCompletion(RETRY.toMillis() * 10);
        } catch (MqttException brokerStillAway) {
            return;
        }
        reconnects++;
        unacked.forEach((id, message) -> {
            resent++;
            publish(id, message);
        });
    }

    private void publish(long id, Message message) {
        while (true) {
            try {
                client.publish(message.topic(), message.payload(), 1, false, id, acknowledged);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    return; // not connected: it stays unacknowledged and is published again after the reconnect
                }
                LockSupport.parkNanos(1_000_000); // Paho frees an in-flight slot a moment after the PUBACK
            }
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(15_000);
        }
        client.close();
    }
}
