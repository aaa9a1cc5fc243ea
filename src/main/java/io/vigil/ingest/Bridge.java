package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.ingest.ParseResult.Accepted;
import io.vigil.ingest.ParseResult.Rejected;
import io.vigil.security.KafkaClientSecurity;
import io.vigil.security.MqttSecurity;
import io.vigil.topology.SensorTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * Forwards MQTT v5 readings into Kafka: each topology's topic filter, QoS 1, a persistent session,
 * and manual acknowledgements — a message is acknowledged to the MQTT broker only after Kafka has
 * acknowledged its record (readings topic, or the dead-letter topic for a rejected payload). A
 * bridge killed at any moment therefore loses nothing; the price is a possible duplicate.
 *
 * <p><b>Kafka away.</b> A record waits in the producer, in order, for as long as Kafka is
 * unreachable ({@code delivery.timeout.ms} is unbounded), and its MQTT message stays unacknowledged;
 * the bridge holds at most the receive maximum of unacknowledged messages (it stops reading MQTT
 * beyond that) and the broker queues the rest, so the bridge's memory is bounded by the receive
 * maximum, not by the outage. A record Kafka refuses anyway
 * (an operator's shorter delivery timeout, a full buffer, missing rights) is sent again with
 * back-off ({@link #RETRY_FIRST} doubling up to {@link #RETRY_MAX}); its message keeps its
 * unacknowledged slot meanwhile, which is the back-pressure.
 *
 * <p><b>Records Kafka will never take.</b> A readings record Kafka refuses for a fault of its own —
 * larger than {@code max.request.size} or the topic's {@code max.message.bytes}, a timestamp outside
 * the topic's {@code message.timestamp.*.max.ms}, an invalid record — would be refused on every
 * retry, so its message is dead-lettered instead ({@link #recordFault}). A dead letter is built to
 * fit {@code max.request.size} (its payload cut if need be); one refused all the same is sent once
 * more without its payload.
 *
 * <p><b>Topics no kind claims.</b> The bridge subscribes wider than its kinds' filters
 * ({@link TopicFilters#catching}), so a message one level too deep, or for a kind nobody configured,
 * is dead-lettered as UNKNOWN_TOPIC rather than never seen. Retained messages are sent only when a
 * subscription is new (MQTT 5 retain handling 1): a retained message is forwarded or dead-lettered
 * once per session, not again on every reconnect or restart under the same client id.
 *
 * <pre>{@code
 * try (Bridge bridge = Bridge.builder()
 *         .broker(mqtt.uri())
 *         .bootstrapServers(kafka.bootstrapServers())
 *         .topologies(TopologyLoader.loadAll(Path.of("topologies")))
 *         .metrics(registry)
 *         .start()) {
 *     ...
 * }
 * }</pre>
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Subscription QoS. Paho 1.2.5's manual acks are broken for QoS 2 (eclipse-paho #994), so QoS 2 publishes are downgraded. */
    static final int QOS = 1;
    private static final long MQTT_TIMEOUT_MS = 10_000;
    /** Wait before sending again a record Kafka did not take; doubles per attempt up to {@link #RETRY_MAX}. */
    static final Duration RETRY_FIRST = Duration.ofMillis(500);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** At most one log line per this interval while Kafka refuses records (an outage fails a thousand at once). */
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(5);
    /** How long {@link #close} waits for Kafka to acknowledge what the bridge holds. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String UNKNOWN_KIND = "unknown";
    /** MQTT 5 retain handling 1: the broker sends retained messages only for a subscription the session did not have. */
    static final int RETAIN_HANDLING_NEW_SUBSCRIPTIONS_ONLY = 1;
    /** MQTT 5 DISCONNECT reason: another client connected with our client id. */
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final Settings settings;
    private final List<Route> routes;
    private final MqttAsyncClient client;
    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final BridgeMetrics metrics;
    /** The producer's {@code max.request.size}: the most one record may take, so a dead letter is cut to fit it. */
    private final int maxRecordBytes;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bridge-kafka-retry");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * One permit per message the bridge holds unacknowledged. MQTT 5 brokers should never send more
     * than the receive maximum, but mosquitto 2.0.11 does when the bridge's socket is back-pressured
     * (measured: 3,500 against 1,000); waiting for a permit on Paho's callback thread stops reading the
     * socket, so the excess stays with the broker and the bridge's memory stays bounded whatever it does.
     */
    private final Semaphore slots;
    private final AtomicLong failuresSinceLog = new AtomicLong();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL.toNanos());
    private volatile boolean closing;

    /** One sensor kind: its filter and its parser. */
    private record Route(String filter, SensorTopology topology, PayloadParser parser) {
    }

    /** One MQTT message on its way to Kafka, with what a dead letter for it needs. */
    private record Delivery(MqttMessage message, String topic, String deviceId, String kind, String deadLetterTopic,
                            long arrived) {
    }

    /** What to do when Kafka refuses a record for a fault of its own; false to send it again like any failure. */
    private interface Refusal {
        boolean handle(RejectReason reason, Exception error);
    }

    private Bridge(Settings settings) throws MqttException {
        this.settings = settings;
        this.routes = settings.topologies.stream()
                .map(t -> new Route(t.mqttTopicFilter(), t, new PayloadParser(t, settings.maxPayloadBytes, settings.clock)))
                .toList();
        this.metrics = new BridgeMetrics(settings.registry);
        this.slots = new Semaphore(settings.receiveMaximum);
        Map<String, Object> overrides = new HashMap<>(settings.kafkaClientConfig);
        overrides.putAll(settings.producerOverrides);
        Map<String, Object> producerConfig = producerConfig(settings.bootstrapServers, settings.clientId, overrides);
        this.maxRecordBytes = Integer.parseInt(String.valueOf(producerConfig.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_BYTES)));
        if ((long) settings.maxPayloadBytes * SERIALIZED_GROWTH > maxRecordBytes) {
            LOG.warn("Payloads of up to {} bytes may become readings records larger than Kafka takes ({} bytes,"
                    + " max.request.size): those are dead-lettered as TOO_LARGE. Keep --max-payload-bytes at most a"
                    + " third of max.request.size (and of the topics' max.message.bytes)", settings.maxPayloadBytes,
                    maxRecordBytes);
        }
        this.producer = new KafkaProducer<>(producerConfig);
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(settings.registry);
        this.client = new MqttAsyncClient(settings.brokerUri, settings.clientId, new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
    }

    /** How much larger than its payload a readings record can get: {@code 1e6} is written {@code 1000000.0}. */
    private static final int SERIALIZED_GROWTH = 3;
    /** Kafka's default {@code max.request.size}. */
    private static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Producer settings: nothing is acknowledged upstream until every in-sync replica has the record
     * ({@code acks=all}), retries never duplicate or reorder within a partition (idempotence), and a
     * record never expires while Kafka is unreachable.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence allows
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5); // ms; batches a burst of small readings per partition
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024); // bytes
        // ms: a record waits, in order, for as long as Kafka is away; what waits is bounded by the MQTT
        // receive maximum (unacknowledged messages), not by time. Kafka's default (2 min) expires records
        // during a longer outage, and re-sending them then reorders a device's readings.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putAll(overrides);
        return config;
    }

    /** MQTT 5 session settings; see {@link Builder} for what each value is for. */
    public static MqttConnectionOptions connectionOptions(Duration sessionExpiry, int receiveMaximum) {
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

    private Bridge connectAndSubscribe() {
        createTopics();
        connectWithRetry();
        return this;
    }

    private void createTopics() {
        if (settings.partitions < 1) {
            return;
        }
        Topics.ensure(settings.bootstrapServers, settings.kafkaClientConfig, Topics.bridged(settings.topologies),
                settings.partitions);
    }

    /** First connection: retried with back-off so a bridge may start before its broker. */
    private void connectWithRetry() {
        long deadline = System.nanoTime() + settings.initialConnectTimeout.toNanos();
        long delayMs = 500;
        while (true) {
            try {
                IMqttToken token = client.connect(settings.mqttSecurity.apply(
                        connectionOptions(settings.sessionExpiry, settings.receiveMaximum), settings.brokerUri));
                token.waitForCompletion(MQTT_TIMEOUT_MS);
                LOG.info("Connected to MQTT broker {} as '{}' (session present: {})", settings.brokerUri,
                        settings.clientId, token.getSessionPresent());
                subscribe();
                return;
            } catch (MqttException e) {
                if (MqttSecurity.isPermanent(e)) { // wrong credentials or an untrusted server do not heal by waiting
                    throw new IllegalStateException(MqttSecurity.describe(e, settings.brokerUri), e);
                }
                if (System.nanoTime() + delayMs * 1_000_000 > deadline) {
                    throw new IllegalStateException("cannot connect to " + MqttSecurity.describe(e, settings.brokerUri), e);
                }
                LOG.warn("MQTT broker {} not reachable ({}); retrying in {} ms", settings.brokerUri, e.getMessage(), delayMs);
                pause(delayMs);
                delayMs = Math.min(delayMs * 2, 10_000);
            }
        }
    }

    /** The kinds' filters, widened to catch what no kind claims; retained messages for new subscriptions only. */
    private MqttSubscription[] subscriptions() {
        return TopicFilters.catching(routes.stream().map(Route::filter).toList(), settings.unknownKinds).stream()
                .map(filter -> {
                    MqttSubscription subscription = new MqttSubscription(
                            TopicFilters.subscription(filter, settings.shareGroup), QOS);
                    subscription.setRetainHandling(RETAIN_HANDLING_NEW_SUBSCRIPTIONS_ONLY);
                    return subscription;
                })
                .toArray(MqttSubscription[]::new);
    }

    private void subscribe() throws MqttException {
        MqttSubscription[] subscriptions = subscriptions();
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

    private void onMessage(String topic, MqttMessage message) {
        if (!takeSlot()) {
            return; // closing: left unacknowledged, the broker redelivers it to the next session
        }
        long arrived = System.nanoTime();
        metrics.received();
        String deviceId = DeviceIds.fromTopic(topic);
        Route route = route(topic);
        if (route == null) {
            Rejected unknown = new Rejected(RejectReason.UNKNOWN_TOPIC, "topic " + PayloadParser.quote(topic)
                    + " matches none of " + routes.stream().map(Route::filter).toList());
            reject(new Delivery(message, topic, deviceId, UNKNOWN_KIND, settings.topologies.get(0).kafka().deadLetter(),
                    arrived), unknown);
            return;
        }
        Delivery delivery = new Delivery(message, topic, deviceId, route.topology().kind(),
                route.topology().kafka().deadLetter(), arrived);
        ParseResult result = parse(route.parser(), message.getPayload(), deviceId);
        if (result instanceof Accepted accepted) {
            send(delivery, BridgeRecords.reading(route.topology(), deviceId, accepted.batch()), BridgeMetrics.FORWARDED,
                    accepted.batch().size(), (reason, error) -> {
                        reject(delivery, new Rejected(reason, "Kafka refused the readings record: " + oneLine(error)));
                        return true;
                    });
        } else {
            reject(delivery, (Rejected) result);
        }
    }

    /**
     * The reason a record Kafka refused is at fault itself, so that sending it again cannot help; null
     * for everything else (Kafka away, missing rights, a record failed only because a batch-mate was
     * invalid), which is sent again: fixing Kafka lets those through, in order.
     */
    static RejectReason recordFault(Exception error) {
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return RejectReason.TOO_LARGE;
        }
        if (error instanceof InvalidTimestampException) {
            return RejectReason.BAD_TIMESTAMP;
        }
        if (error instanceof InvalidRecordException) {
            return RejectReason.KAFKA_REFUSED;
        }
        return null;
    }

    private static String oneLine(Exception error) {
        return String.valueOf(error.getMessage()).replaceAll("\\s+", " ").strip();
    }

    /** Waits for a free in-flight slot (see {@link #slots}); false when the bridge is closing. */
    private boolean takeSlot() {
        try {
            while (!closing) {
                if (slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    if (!closing) {
                        return true;
                    }
                    slots.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void settled(String kind, String outcome, long arrived) {
        metrics.settled(kind, outcome, arrived);
        slots.release();
    }

    /** Dropped unacknowledged while closing: the broker redelivers it to the next session. */
    private void abandoned() {
        metrics.abandoned();
        slots.release();
    }

    /** The parser's verdict; a parser that throws is a bug, and the message is dead-lettered, not wedged. */
    static ParseResult parse(PayloadParser parser, byte[] payload, String deviceId) {
        try {
            return parser.parse(payload, deviceId);
        } catch (RuntimeException e) {
            LOG.error("Payload parser failed for device {}; dead-lettering the message", deviceId, e);
            return new Rejected(RejectReason.PARSER_FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void reject(Delivery delivery, Rejected rejected) {
        metrics.rejected(delivery.kind(), rejected.reason());
        LOG.debug("Rejected {} on {}: {}", rejected.reason(), delivery.topic(), rejected.message());
        sendDeadLetter(delivery, rejected, maxRecordBytes);
    }

    /** A dead letter in at most {@code maxBytes}; refused all the same (a topic's smaller limit), once more bare. */
    private void sendDeadLetter(Delivery delivery, Rejected rejected, int maxBytes) {
        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter(delivery.deadLetterTopic(), delivery.kind(),
                delivery.topic(), delivery.deviceId(), delivery.message().getPayload(), rejected, maxBytes);
        send(delivery, record, BridgeMetrics.DEAD_LETTERED, 0, (reason, error) -> {
            if (maxBytes == 0) {
                return false;
            }
            LOG.warn("Kafka refused the dead letter of a message on {} ({}); sending it again without its payload",
                    delivery.topic(), oneLine(error));
            sendDeadLetter(delivery, rejected, 0);
            return true;
        });
    }

    private void send(Delivery delivery, ProducerRecord<String, byte[]> record, String outcome, int samples, Refusal refusal) {
        send(delivery, record, outcome, samples, refusal, 0);
    }

    private void send(Delivery delivery, ProducerRecord<String, byte[]> record, String outcome, int samples,
                      Refusal refusal, int attempt) {
        if (closing) {
            abandoned();
            return;
        }
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledge(delivery.message());
                    settled(delivery.kind(), outcome, delivery.arrived());
                    if (samples > 0) {
                        metrics.samples(delivery.kind(), samples);
                    }
                    return;
                }
                RejectReason fault = recordFault(error);
                if (fault == null) {
                    sendAgainLater(delivery, record, outcome, samples, refusal, attempt, error);
                    return;
                }
                // Off the producer's I/O thread: a send from its callback blocks that thread for as long
                // as the dead-letter topic's metadata is unknown, and only that thread can fetch it.
                try {
                    retries.execute(() -> {
                        if (!refusal.handle(fault, error)) {
                            sendAgainLater(delivery, record, outcome, samples, refusal, attempt, error);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    abandoned();
                }
            });
        } catch (RuntimeException e) { // closed producer, buffer full past max.block.ms: not acknowledged
            sendAgainLater(delivery, record, outcome, samples, refusal, attempt, e);
        }
    }

    /**
     * Kafka did not take a record. Its MQTT message stays unacknowledged, holding one slot of the
     * receive maximum (back-pressure), and the record is sent again after a back-off. Reconnecting to
     * MQTT to get the message redelivered instead would only hand the bridge the same message again.
     */
    private void sendAgainLater(Delivery delivery, ProducerRecord<String, byte[]> record, String outcome, int samples,
                                Refusal refusal, int attempt, Exception error) {
        metrics.kafkaFailure(delivery.kind());
        logFailure(record.topic(), error);
        long wait = Math.min(RETRY_MAX.toMillis(), RETRY_FIRST.toMillis() << Math.min(attempt, 16));
        try {
            retries.schedule(() -> send(delivery, record, outcome, samples, refusal, attempt + 1), wait,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            abandoned();
        }
    }

    private void logFailure(String topic, Exception error) {
        long failures = failuresSinceLog.incrementAndGet();
        long last = lastFailureLog.get();
        long now = System.nanoTime();
        if (now - last >= FAILURE_LOG_INTERVAL.toNanos() && lastFailureLog.compareAndSet(last, now)) {
            failuresSinceLog.addAndGet(-failures);
            LOG.warn("Kafka did not accept {} record(s) in the last {} s ({}: {}); their MQTT messages stay"
                            + " unacknowledged and the records are sent again with back-off", failures,
                    FAILURE_LOG_INTERVAL.toSeconds(), topic, error.getMessage());
        }
    }

    private void acknowledge(MqttMessage message) {
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

    private Route route(String topic) {
        for (Route r : routes) {
            if (TopicFilters.matches(r.filter(), topic)) {
                return r;
            }
        }
        return null;
    }

    /** Messages received and not yet acknowledged to the broker. */
    public int inFlight() {
        return metrics.inFlight();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Stops taking messages, waits up to 10 s for Kafka to acknowledge what it has (and acknowledges
     * those to MQTT), then disconnects. Anything still unacknowledged is redelivered to the next session.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        producerMetrics.close();
        try {
            producer.close(CLOSE_TIMEOUT); // flushes; callbacks acknowledge to MQTT while still connected
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer close failed: {}", e.getMessage());
        }
        retries.shutdownNow().forEach(pending -> abandoned());
        try {
            if (client.isConnected()) {
                client.disconnect(MQTT_TIMEOUT_MS).waitForCompletion(MQTT_TIMEOUT_MS);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("MQTT disconnect on close failed: {}", e.getMessage());
        }
        LOG.info("Bridge '{}' closed", settings.clientId);
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

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                onMessage(topic, message);
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
                client.subscribe(subscriptions());
            } catch (MqttException e) {
                LOG.error("Re-subscribing after reconnect failed: {}", e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // MQTT 5 brokers may say so (0x8E); mosquitto 2.0.11 just closes the connection
            if (!closing && response.getReturnCode() == SESSION_TAKEN_OVER) {
                LOG.error("Another client connected to {} as '{}' and took over this bridge's session; messages in"
                        + " flight may be lost. Give every bridge its own --client-id, and have the broker tie client"
                        + " ids to users (SECURITY.md)", settings.brokerUri, settings.clientId);
            }
            if (!closing) {
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

    /** Resolved settings; defaults live in {@link Builder}. */
    private record Settings(String brokerUri, String bootstrapServers, List<SensorTopology> topologies, String clientId,
                            String shareGroup, int receiveMaximum, Duration sessionExpiry, int maxPayloadBytes,
                            int partitions, Duration initialConnectTimeout, MeterRegistry registry, Clock clock,
                            Map<String, Object> producerOverrides, MqttSecurity mqttSecurity,
                            Map<String, Object> kafkaClientConfig, boolean unknownKinds) {
    }

    /** Builds and starts a {@link Bridge}. Every default is here. */
    public static final class Builder {
        public static final String DEFAULT_BROKER = "tcp://localhost:1883";
        public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
        /** Client ids begin with this; {@link #defaultClientId} adds the host name. */
        public static final String CLIENT_ID_PREFIX = "vigil-bridge";
        public static final int DEFAULT_RECEIVE_MAXIMUM = 1000;
        public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(1);
        public static final int DEFAULT_PARTITIONS = 4;

        private String brokerUri = DEFAULT_BROKER;
        private String bootstrapServers = DEFAULT_BOOTSTRAP;
        private List<SensorTopology> topologies = List.of();
        private String clientId = defaultClientId();
        private String shareGroup;
        private int receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
        private Duration sessionExpiry = DEFAULT_SESSION_EXPIRY;
        private int maxPayloadBytes = PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES;
        private int partitions = DEFAULT_PARTITIONS;
        private Duration initialConnectTimeout = Duration.ofSeconds(30);
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();
        private Map<String, Object> producerOverrides = Map.of();
        private MqttSecurity mqttSecurity = MqttSecurity.NONE;
        private Map<String, Object> kafkaClientConfig = Map.of();
        private boolean unknownKinds = true;

        private Builder() {
        }

        /**
         * {@code vigil-bridge-<host name>}: the same on every restart on this host, so the broker's
         * persistent session is found again, and different from a bridge on another host, so neither takes
         * over the other's session. Two bridges on one host need {@link #clientId} each.
         */
        public static String defaultClientId() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException e) {
                    host = "localhost";
                }
            }
            String id = CLIENT_ID_PREFIX + "-" + host.replaceAll("[^A-Za-z0-9_.-]", "-");
            return id.length() <= 64 ? id : id.substring(0, 64);
        }

        /** MQTT server URI, {@code tcp://host:1883}. */
        public Builder broker(String uri) {
            this.brokerUri = Objects.requireNonNull(uri);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers);
            return this;
        }

        public Builder topologies(List<SensorTopology> topologies) {
            this.topologies = List.copyOf(topologies);
            return this;
        }

        /**
         * Fixed client id: the broker keeps this id's session (subscriptions, queued messages) while the
         * bridge is away, so it must stay the same across restarts and differ between bridges; default
         * {@link #defaultClientId}.
         */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId);
            return this;
        }

        /** Share the subscriptions with other bridges in this group ({@code $share/<group>/…}); null for none. */
        public Builder shareGroup(String group) {
            this.shareGroup = group;
            return this;
        }

        /** Most unacknowledged messages in flight from the broker (MQTT 5 Receive Maximum, 1–65535). */
        public Builder receiveMaximum(int receiveMaximum) {
            this.receiveMaximum = receiveMaximum;
            return this;
        }

        public Builder sessionExpiry(Duration sessionExpiry) {
            this.sessionExpiry = Objects.requireNonNull(sessionExpiry);
            return this;
        }

        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /** Partitions for readings/dead-letter topics created if missing; 0 to create none. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder initialConnectTimeout(Duration timeout) {
            this.initialConnectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder metrics(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry);
            return this;
        }

        /** Clock for timestamp plausibility checks. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Extra producer properties (e.g. security settings); they win over the bridge's. */
        public Builder producerOverrides(Map<String, Object> overrides) {
            this.producerOverrides = Map.copyOf(overrides);
            return this;
        }

        /** MQTT credentials and TLS; {@link MqttSecurity#NONE} by default. */
        public Builder mqttSecurity(MqttSecurity security) {
            this.mqttSecurity = Objects.requireNonNull(security);
            return this;
        }

        /** Kafka client properties (SASL, SSL…) for both the producer and the admin client that creates topics. */
        public Builder kafkaClientConfig(Map<String, Object> config) {
            this.kafkaClientConfig = Map.copyOf(config);
            return this;
        }

        /**
         * Whether a message under the kinds' first topic level that no kind claims ({@code vigil/turbine/t1})
         * is dead-lettered as UNKNOWN_TOPIC (default). Off for a bridge of some kinds only, whose
         * neighbours bridge the rest; a topic one level too deep under its own kinds is caught either way.
         */
        public Builder unknownKinds(boolean deadLetter) {
            this.unknownKinds = deadLetter;
            return this;
        }

        /** Creates missing topics, connects (retrying for up to the initial timeout) and subscribes. */
        public Bridge start() {
            if (topologies.isEmpty()) {
                throw new IllegalArgumentException("a bridge needs at least one topology");
            }
            if (receiveMaximum < 1 || receiveMaximum > 65_535) {
                throw new IllegalArgumentException("receive maximum must be 1..65535, got " + receiveMaximum);
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("client id must not be blank");
            }
            Settings settings = new Settings(brokerUri, bootstrapServers, topologies, clientId, shareGroup, receiveMaximum,
                    sessionExpiry, maxPayloadBytes, partitions, initialConnectTimeout, registry, clock, producerOverrides,
                    mqttSecurity, kafkaClientConfig, unknownKinds);
            LOG.info("Bridge '{}': MQTT {} {}; Kafka {} client config: {}", clientId, brokerUri, mqttSecurity, bootstrapServers,
                    KafkaClientSecurity.describe(kafkaClientConfig));
            Bridge bridge;
            try {
                bridge = new Bridge(settings);
            } catch (MqttException e) {
                throw new IllegalArgumentException("invalid MQTT broker URI or client id: " + e.getMessage(), e);
            }
            try {
                return bridge.connectAndSubscribe();
            } catch (RuntimeException e) {
                bridge.close();
                throw e;
            }
        }
    }
}
