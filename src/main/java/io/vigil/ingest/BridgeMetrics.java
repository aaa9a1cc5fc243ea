package io.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.payload.RejectReason;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bridge's domain meters; names and tags are constants so dashboards and tests share them. A route
 * holds its kind's {@link Kind}, so counting a message touches the meters themselves, not the registry.
 */
public final class BridgeMetrics {

    /** Counter of MQTT messages by {@code kind} and {@code outcome} ({@link #FORWARDED}, {@link #DEAD_LETTERED}). */
    public static final String READINGS = "vigil.bridge.readings";
    /** Counter of samples forwarded to a readings topic, by {@code kind}. */
    public static final String SAMPLES = "vigil.bridge.samples";
    /** Counter of rejected messages by {@code kind} and {@code reason} ({@link RejectReason}). */
    public static final String REJECTED = "vigil.bridge.rejected";
    /** Timer from MQTT arrival to the Kafka acknowledgement, by {@code kind}. */
    public static final String FORWARD_LATENCY = "vigil.bridge.forward.latency";
    /** Gauge of messages received but not yet acknowledged to the MQTT broker. */
    public static final String IN_FLIGHT = "vigil.bridge.inflight";
    /**
     * Gauge: the most messages the bridge holds in flight, its MQTT receive maximum. {@link #IN_FLIGHT}
     * stays at it while Kafka takes readings slower than MQTT brings them (the alert rules compare the two).
     */
    public static final String IN_FLIGHT_MAX = "vigil.bridge.inflight.max";
    /** Counter of automatic reconnections to the MQTT broker. */
    public static final String RECONNECTS = "vigil.bridge.reconnects";
    /**
     * Counter of records Kafka did not take, by {@code kind}: each is sent again after a back-off while
     * its MQTT message stays unacknowledged (the producer itself retries without limit, so this counts
     * non-retriable errors, a full buffer, or a delivery timeout an operator shortened).
     */
    public static final String KAFKA_RETRIES = "vigil.bridge.kafka.retries";

    public static final String TAG_KIND = "kind";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_REASON = "reason";
    public static final String FORWARDED = "forwarded";
    public static final String DEAD_LETTERED = "dead_lettered";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight;
    private final Once<Counter> reconnects;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** @param inFlightMax the receive maximum: the bridge never holds more messages unacknowledged */
    BridgeMetrics(MeterRegistry registry, int inFlightMax) {
        this.registry = registry;
        this.inFlight = registry.gauge(IN_FLIGHT, new AtomicInteger());
        Gauge.builder(IN_FLIGHT_MAX, () -> inFlightMax).description("the MQTT receive maximum").register(registry);
        this.reconnects = new Once<>(() -> registry.counter(RECONNECTS));
    }

    /** The meters of one sensor kind ({@code unknown} for a topic no kind claims); look it up once and keep it. */
    Kind kind(String kind) {
        return kinds.computeIfAbsent(kind, Kind::new);
    }

    void received() {
        inFlight.incrementAndGet();
    }

    /** A message dropped unacknowledged during shutdown: the broker will redeliver it. */
    void abandoned() {
        inFlight.decrementAndGet();
    }

    void reconnected() {
        reconnects.get().increment();
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * One kind's meters. Each is registered on its first use and kept, so a message costs no registry
     * lookup, and the registry holds what it held when meters were looked up per message: a kind or a
     * reason that never happened has no series.
     */
    final class Kind {
        private final String name;
        private final Once<Counter> forwarded;
        private final Once<Counter> deadLettered;
        private final Once<Counter> samples;
        private final Once<Counter> kafkaRetries;
        private final Once<Timer> latency;
        private final List<Once<Counter>> rejected;

        private Kind(String name) {
            this.name = name;
            this.forwarded = new Once<>(() -> registry.counter(READINGS, TAG_KIND, name, TAG_OUTCOME, FORWARDED));
            this.deadLettered = new Once<>(() -> registry.counter(READINGS, TAG_KIND, name, TAG_OUTCOME, DEAD_LETTERED));
            this.samples = new Once<>(() -> registry.counter(SAMPLES, TAG_KIND, name));
            this.kafkaRetries = new Once<>(() -> registry.counter(KAFKA_RETRIES, TAG_KIND, name));
            this.latency = new Once<>(() -> Timer.builder(FORWARD_LATENCY).tag(TAG_KIND, name)
                    .publishPercentileHistogram()
                    .register(registry));
            this.rejected = Arrays.stream(RejectReason.values())
                    .map(reason -> new Once<>(() -> registry.counter(REJECTED, TAG_KIND, name, TAG_REASON, reason.name())))
                    .toList();
        }

        String name() {
            return name;
        }

        /** Kafka took the readings record of a message that arrived at {@code arrivedNanos}; it held {@code count} samples. */
        void forwarded(long arrivedNanos, int count) {
            settled(forwarded.get(), arrivedNanos);
            if (count > 0) {
                samples.get().increment(count);
            }
        }

        /** Kafka took the dead letter of a message that arrived at {@code arrivedNanos}. */
        void deadLettered(long arrivedNanos) {
            settled(deadLettered.get(), arrivedNanos);
        }

        void rejected(RejectReason reason) {
            rejected.get(reason.ordinal()).get().increment();
        }

        /** Kafka did not take a record; it is sent again and its message stays in flight. */
        void kafkaFailure() {
            kafkaRetries.get().increment();
        }

        private void settled(Counter outcome, long arrivedNanos) {
            inFlight.decrementAndGet();
            outcome.increment();
            latency.get().record(System.nanoTime() - arrivedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A meter registered on first use; two threads racing get the same meter, since the registry returns the one it has. */
    private static final class Once<M> {
        private final Supplier<M> register;
        private volatile M meter;

        Once(Supplier<M> register) {
            this.register = register;
        }

        M get() {
            M m = meter;
            if (m == null) {
                m = register.get();
                meter = m;
            }
            return m;
        }
    }
}
