package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.payload.RejectReason;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The bridge's domain meters; names and tags are constants so dashboards and tests share them. */
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

    BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inFlight = registry.gauge(IN_FLIGHT, new AtomicInteger());
    }

    void received() {
        inFlight.incrementAndGet();
    }

    void settled(String kind, String outcome, long arrivedNanos) {
        inFlight.decrementAndGet();
        registry.counter(READINGS, TAG_KIND, kind, TAG_OUTCOME, outcome).increment();
        timer(kind).record(System.nanoTime() - arrivedNanos, TimeUnit.NANOSECONDS);
    }

    /** Kafka did not take a record; it is sent again and its message stays in flight. */
    void kafkaFailure(String kind) {
        registry.counter(KAFKA_RETRIES, TAG_KIND, kind).increment();
    }

    /** A message dropped unacknowledged during shutdown: the broker will redeliver it. */
    void abandoned() {
        inFlight.decrementAndGet();
    }

    void samples(String kind, int count) {
        registry.counter(SAMPLES, TAG_KIND, kind).increment(count);
    }

    void rejected(String kind, RejectReason reason) {
        registry.counter(REJECTED, TAG_KIND, kind, TAG_REASON, reason.name()).increment();
    }

    void reconnected() {
        registry.counter(RECONNECTS).increment();
    }

    int inFlight() {
        return inFlight.get();
    }

    private Timer timer(String kind) {
        return Timer.builder(FORWARD_LATENCY).tag(TAG_KIND, kind)
                .publishPercentileHistogram()
                .register(registry);
    }
}
