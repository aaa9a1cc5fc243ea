package io.vigil.ingest;

import io.vigil.security.MqttSecurity;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's MQTT 5 session: a persistent session under a fixed client id, QoS 1 subscriptions
 * built once (the kinds' filters, widened by {@link TopicFilters#catching}), manual acknowledgements,
 * a first connection retried with back-off and automatic reconnection after it. Each message goes to
 * the handler on Paho's callback thread; the handler acknowledges it through {@link #acknowledge}.
 */
final class MqttSession implements AutoCloseable {

    /** The bridge's logger: operators filter the bridge's lines by it, whichever part of it writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Subscription QoS. Paho 1.2.5's manual acks are broken for QoS 2 (eclipse-paho #994), so QoS 2 publishes are downgraded. */
    static final int QOS = 1;
    static final long MQTT_TIMEOUT_MS = 10_000;
    /** MQTT 5 retain handling 1: the broker sends retained messages only for a subscription the session did not have. */
    static final int RETAIN_HANDLING_NEW_SUBSCRIPTIONS_ONLY = 1;
    /** MQTT 5 DISCONNECT reason: another client connected with our client id. */
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final Bridge.Settings settings;
    private final MqttAsyncClient client;
    private final MqttSubscription[] subscriptions;
    private final BridgeMetrics metrics;
    private final BooleanSupplier closing;

    /**
     * @param filters the kinds' topic filters
     * @param handler gets each message, on Paho's callback thread
     * @param closing true once the bridge is closing: a lost connection is then expected, not news
     */
    MqttSession(Bridge.Settings settings, List<String> filters, BiConsumer<String, MqttMessage> handler,
                BridgeMetrics metrics, BooleanSupplier closing) throws MqttException {
        this.settings = settings;
        this.metrics = metrics;
        this.closing = closing;
        this.subscriptions = subscriptions(filters, settings.unknownKinds(), settings.shareGroup());
        this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback(handler));
    }

    /** MQTT 5 session settings; see {@link Bridge.Builder} for what each value is for. */
    static MqttConnectionOptions connectionOptions(Duration sessionExpiry, int receiveMaximum) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);                              // resume the session: keep subscriptions and queued messages
        options.setSessionExpiryInterval(sessionExpiry.toSeconds()); // seconds the broker keeps it while we are away
        options.setReceiveMaximum(receiveMaximum);                 // unacknowledged QoS 1 messages the broker may send us
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 60);                 // seconds; doubles from 1 up to 60
        options.setKeepAliveInterval(30);                          // seconds
        options.setConnectionTimeout(10);                          // seconds
        return options;
    }

    /** The kinds' filters, widened to catch what no kind claims; retained messages for new subscriptions only. */
    private static MqttSubscription[] subscriptions(List<String> filters, boolean unknownKinds, String shareGroup) {
        return TopicFilters.catching(filters, unknownKinds).stream()
                .map(filter -> {
                    MqttSubscription subscription = new MqttSubscription(TopicFilters.subscription(filter, shareGroup), QOS);
                    subscription.setRetainHandling(RETAIN_HANDLING_NEW_SUBSCRIPTIONS_ONLY);
                    return subscription;
                })
                .toArray(MqttSubscription[]::new);
    }

    /** First connection and subscription: retried with back-off so a bridge may start before its broker. */
    void connect() {
        long deadline = System.nanoTime() + settings.initialConnectTimeout().toNanos();
        long delayMs = 500;
        while (true) {
            try {
                IMqttToken token = client.connect(settings.mqttSecurity().apply(
                        connectionOptions(settings.sessionExpiry(), settings.receiveMaximum()), settings.brokerUri()));
                token.waitForCompletion(MQTT_TIMEOUT_MS);
                LOG.info("Connected to MQTT broker {} as '{}' (session present: {})", settings.brokerUri(),
                        settings.clientId(), token.getSessionPresent());
                subscribe();
                return;
            } catch (MqttException e) {
                if (MqttSecurity.isPermanent(e)) { // wrong credentials or an untrusted server do not heal by waiting
                    throw new IllegalStateException(MqttSecurity.describe(e, settings.brokerUri()), e);
                }
                if (System.nanoTime() + delayMs * 1_000_000 > deadline) {
                    throw new IllegalStateException("cannot connect to " + MqttSecurity.describe(e, settings.brokerUri()), e);
                }
                LOG.warn("MQTT broker {} not reachable ({}); retrying in {} ms", settings.brokerUri(), e.getMessage(), delayMs);
                pause(delayMs);
                delayMs = Math.min(delayMs * 2, 10_000);
            }
        }
    }

    private void subscribe() throws MqttException {
        IMqttToken token = client.subscribe(subscriptions);
        token.waitForCompletion(MQTT_TIMEOUT_MS);
        int[] codes = token.getReasonCodes();
        for (int i = 0; i < subscriptions.length; i++) {
            int code = codes != null && i < codes.length ? codes[i] : 0x80;
            if (code >= 0x80) { // MQTT 5 SUBACK: 0x80 and above are failures
                throw new IllegalStateException("broker refused subscription " + subscriptions[i].getTopic()
                        + " (reason code 0x" + Integer.toHexString(code) + ")");
            }
            LOG.info("Subscribed to {} (QoS {})", subscriptions[i].getTopic(), code);
        }
    }

    /** Tells the broker the message is safe; a connection gone meanwhile means it is redelivered (at least once). */
    void acknowledge(MqttMessage message) {
        if (message.getQos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            // connection gone: the broker redelivers the message, Kafka may hold it twice (at least once)
            LOG.debug("Could not acknowledge MQTT message {}: {}", message.getId(), e.getMessage());
        }
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** Disconnects; whatever is unacknowledged is redelivered to the next session. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(MQTT_TIMEOUT_MS).waitForCompletion(MQTT_TIMEOUT_MS);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("MQTT disconnect on close failed: {}", e.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the MQTT broker", e);
        }
    }

    private final class Callback implements MqttCallback {

        private final BiConsumer<String, MqttMessage> handler;

        Callback(BiConsumer<String, MqttMessage> handler) {
            this.handler = handler;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                handler.accept(topic, message);
            } catch (RuntimeException e) {
                // Paho drops the connection if this callback throws; a bad message must not do that.
                LOG.error("Unexpected error handling a message on {}; left unacknowledged", topic, e);
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (!reconnect) {
                return;
            }
            metrics.reconnected();
            LOG.info("Reconnected to MQTT broker {}", serverUri);
            try {
                // The session normally keeps our subscriptions; subscribing again covers an expired one.
                client.subscribe(subscriptions);
            } catch (MqttException e) {
                LOG.error("Re-subscribing after reconnect failed: {}", e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            boolean expected = closing.getAsBoolean();
            // MQTT 5 brokers may say so (0x8E); mosquitto 2.0.11 just closes the connection
            if (!expected && response.getReturnCode() == SESSION_TAKEN_OVER) {
                LOG.error("Another client connected to {} as '{}' and took over this bridge's session; messages in"
                        + " flight may be lost. Give every bridge its own --client-id, and have the broker tie client"
                        + " ids to users (SECURITY.md)", settings.brokerUri(), settings.clientId());
            }
            if (!expected) {
                LOG.warn("MQTT connection lost ({}); reconnecting with back-off from 1 s to 60 s", response.getReasonString() != null
                        ? response.getReasonString()
                        : String.valueOf(response.getException() == null ? "reason " + response.getReturnCode()
                                : response.getException().getMessage()));
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the bridge publishes nothing
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
