package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.payload.DeviceIds;
import io.vigil.payload.ParseResult;
import io.vigil.payload.ParseResult.Accepted;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.payload.PayloadParser;
import io.vigil.payload.RejectReason;
import io.vigil.security.KafkaClientSecurity;
import io.vigil.ingest.KafkaForwarder.Forward;
import io.vigil.security.MqttSecurity;
import io.vigil.kind.SensorKind;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards MQTT v5 readings into Kafka: each topology's topic filter, QoS 1, a persistent session,
 * and manual acknowledgements — a message is acknowledged to the MQTT broker only after Kafka has
 * acknowledged its record (readings topic, or the dead-letter topic for a rejected payload). A
 * bridge killed at any moment therefore loses nothing; the price is a possible duplicate.
 *
 * <p>The bridge wires three parts and routes between them: the {@link MqttSession} (connection,
 * subscriptions, acknowledgements), the {@link KafkaForwarder} (sending with retry), and the
 * {@link InFlightSlots} (back-pressure); it parses each message with its kind's parser and
 * dead-letters what is rejected.
 *
 * <p><b>Kafka away.</b> A record waits in the producer, in order, for as long as Kafka is
 * unreachable ({@code delivery.timeout.ms} is unbounded), and its MQTT message stays unacknowledged;
 * the bridge holds at most the receive maximum of unacknowledged messages (it stops reading MQTT
 * beyond that) and the broker queues the rest, so the bridge's memory is bounded by the receive
 * maximum, not by the outage. A record Kafka refuses anyway
 * (an operator's shorter delivery timeout, a full buffer, missing rights) is sent again with
 * back-off ({@link KafkaForwarder#RETRY_FIRST} doubling up to {@link KafkaForwarder#RETRY_MAX}); its message keeps its
 * unacknowledged slot meanwhile, which is the back-pressure.
 *
 * <p><b>Records Kafka will never take.</b> A readings record Kafka refuses for a fault of its own —
 * larger than {@code max.request.size} or the topic's {@code max.message.bytes}, a timestamp outside
 * the topic's {@code message.timestamp.*.max.ms}, an invalid record — would be refused on every
 * retry, so its message is dead-lettered instead ({@link KafkaForwarder#recordFault}). A dead letter is built to
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
 *         .topologies(SensorKindLoader.loadAll(Path.of("topologies")))
 *         .metrics(registry)
 *         .start()) {
 *     ...
 * }
 * }</pre>
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final String UNKNOWN_KIND = "unknown";
    /** How much larger than its payload a readings record can get: {@code 1e6} is written {@code 1000000.0}. */
    private static final int SERIALIZED_GROWTH = 3;

    private final Settings settings;
    private final List<Route> routes;
    private final BridgeMetrics metrics;
    private final BridgeMetrics.Kind unknownKind;
    private final InFlightSlots slots;
    private final MqttSession session;
    private final KafkaForwarder forwarder;

    /** One sensor kind: its filter, its parser and its meters. */
    private record Route(String filter, SensorKind kind, PayloadParser parser, BridgeMetrics.Kind meters) {
    }

    /** One MQTT message on its way to Kafka, with what a dead letter for it needs. */
    private record Delivery(MqttMessage message, String topic, String deviceId, BridgeMetrics.Kind meters,
                            String deadLetterTopic, long arrived) {
    }

    private Bridge(Settings settings) throws MqttException {
        this.settings = settings;
        this.metrics = new BridgeMetrics(settings.registry, settings.receiveMaximum);
        this.routes = settings.kinds.stream()
                .map(t -> new Route(t.mqttTopicFilter(), t, new PayloadParser(t, settings.maxPayloadBytes, settings.clock),
                        metrics.kind(t.name())))
                .toList();
        this.unknownKind = metrics.kind(UNKNOWN_KIND);
        this.slots = new InFlightSlots(settings.receiveMaximum);
        this.session = new MqttSession(settings, routes.stream().map(Route::filter).toList(), this::onMessage, metrics,
                slots::isClosed);
        Map<String, Object> overrides = new HashMap<>(settings.kafkaClientConfig);
        overrides.putAll(settings.producerOverrides);
        this.forwarder = new KafkaForwarder(KafkaForwarder.producerConfig(settings.bootstrapServers, settings.clientId,
                overrides), settings.registry, this::abandoned);
        if ((long) settings.maxPayloadBytes * SERIALIZED_GROWTH > forwarder.maxRecordBytes()) {
            LOG.warn("Payloads of up to {} bytes may become readings records larger than Kafka takes ({} bytes,"
                    + " max.request.size): those are dead-lettered as TOO_LARGE. Keep --max-payload-bytes at most a"
                    + " third of max.request.size (and of the topics' max.message.bytes)", settings.maxPayloadBytes,
                    forwarder.maxRecordBytes());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private Bridge connectAndSubscribe() {
        createTopics();
        session.connect();
        return this;
    }

    private void createTopics() {
        if (settings.partitions < 1) {
            return;
        }
        Topics.ensure(settings.bootstrapServers, settings.kafkaClientConfig, Topics.bridged(settings.kinds),
                settings.partitions);
    }

    private void onMessage(String topic, MqttMessage message) {
        if (!slots.take()) {
            return; // closing: left unacknowledged, the broker redelivers it to the next session
        }
        long arrived = System.nanoTime();
        metrics.received();
        String deviceId = DeviceIds.fromTopic(topic);
        Route route = route(topic);
        if (route == null) {
            Rejected unknown = new Rejected(RejectReason.UNKNOWN_TOPIC, "topic " + PayloadParser.quote(topic)
                    + " matches none of " + routes.stream().map(Route::filter).toList());
            reject(new Delivery(message, topic, deviceId, unknownKind, settings.kinds.get(0).kafka().deadLetter(),
                    arrived), unknown);
            return;
        }
        Delivery delivery = new Delivery(message, topic, deviceId, route.meters(), route.kind().kafka().deadLetter(),
                arrived);
        ParseResult result = parse(route.parser(), message.getPayload(), deviceId);
        if (result instanceof Accepted accepted) {
            int samples = accepted.batch().size();
            forwarder.send(new Forward(BridgeRecords.reading(route.kind(), deviceId, accepted.batch()), delivery.meters(),
                    () -> {
                        session.acknowledge(message);
                        delivery.meters().forwarded(arrived, samples);
                        slots.release();
                    },
                    (reason, error) -> {
                        reject(delivery, new Rejected(reason, "Kafka refused the readings record: " + oneLine(error)));
                        return true;
                    }));
        } else {
            reject(delivery, (Rejected) result);
        }
    }

    private static String oneLine(Exception error) {
        return String.valueOf(error.getMessage()).replaceAll("\\s+", " ").strip();
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
        delivery.meters().rejected(rejected.reason());
        LOG.debug("Rejected {} on {}: {}", rejected.reason(), delivery.topic(), rejected.message());
        sendDeadLetter(delivery, rejected, forwarder.maxRecordBytes());
    }

    /** A dead letter in at most {@code maxBytes}; refused all the same (a topic's smaller limit), once more bare. */
    private void sendDeadLetter(Delivery delivery, Rejected rejected, int maxBytes) {
        ProducerRecord<String, byte[]> record = BridgeRecords.deadLetter(delivery.deadLetterTopic(),
                delivery.meters().name(), delivery.topic(), delivery.deviceId(), delivery.message().getPayload(), rejected,
                maxBytes);
        forwarder.send(new Forward(record, delivery.meters(),
                () -> {
                    session.acknowledge(delivery.message());
                    delivery.meters().deadLettered(delivery.arrived());
                    slots.release();
                },
                (reason, error) -> {
                    if (maxBytes == 0) {
                        return false;
                    }
                    LOG.warn("Kafka refused the dead letter of a message on {} ({}); sending it again without its payload",
                            delivery.topic(), oneLine(error));
                    sendDeadLetter(delivery, rejected, 0);
                    return true;
                }));
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
        return session.isConnected();
    }

    /**
     * Stops taking messages, waits up to 10 s for Kafka to acknowledge what it has (and acknowledges
     * those to MQTT), then disconnects. Anything still unacknowledged is redelivered to the next session.
     */
    @Override
    public void close() {
        if (slots.isClosed()) {
            return;
        }
        slots.close();
        forwarder.close();
        session.close();
        LOG.info("Bridge '{}' closed", settings.clientId);
    }

    /** Resolved settings; defaults live in {@link Builder}. */
    record Settings(String brokerUri, String bootstrapServers, List<SensorKind> kinds, String clientId,
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
        private List<SensorKind> kinds = List.of();
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

        public Builder kinds(List<SensorKind> kinds) {
            this.kinds = List.copyOf(kinds);
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
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("a bridge needs at least one topology");
            }
            if (receiveMaximum < 1 || receiveMaximum > 65_535) {
                throw new IllegalArgumentException("receive maximum must be 1..65535, got " + receiveMaximum);
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("client id must not be blank");
            }
            Settings settings = new Settings(brokerUri, bootstrapServers, kinds, clientId, shareGroup, receiveMaximum,
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
