package io.vigil.simulator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The simulator's meters while it publishes, labelled by sensor kind only (never by device), so a
 * fleet of any size adds a fixed handful of series. Names are constants so dashboards and tests share them.
 */
public final class SimulatorMetrics {

    /** Counter of samples published, by {@code kind}. */
    public static final String SAMPLES = "vigil.simulator.samples";
    /** Counter of MQTT messages published (one batch of one device each), by {@code kind}. */
    public static final String MESSAGES = "vigil.simulator.messages";
    /** Counter of publishes the broker refused or never acknowledged, by {@code kind}; the run stops on the first. */
    public static final String PUBLISH_ERRORS = "vigil.simulator.publish.errors";
    /** Gauge of devices in the fleet being published, by {@code kind}. */
    public static final String DEVICES = "vigil.simulator.devices";
    /** Gauge of publishes awaiting the broker's acknowledgement (PUBACK). */
    public static final String IN_FLIGHT = "vigil.simulator.inflight";
    public static final String TAG_KIND = "kind";

    private final MeterRegistry registry;
    private final AtomicInteger devices = new AtomicInteger(); // a process publishes one fleet at a time
    private volatile IntSupplier inFlight = () -> 0;

    /** Meters in {@code registry}; the gauges appear at once, the counters with the first run. */
    public SimulatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(IN_FLIGHT, this, metrics -> metrics.inFlight.getAsInt()).register(registry);
    }

    /** Meters nobody reads, for a run without a metrics server. */
    public static SimulatorMetrics none() {
        return new SimulatorMetrics(new CompositeMeterRegistry());
    }

    /** A run of {@code deviceCount} devices of {@code kind} begins; {@code inFlight} reads its publisher. */
    Run start(String kind, int deviceCount, IntSupplier inFlight) {
        registry.gauge(DEVICES, Tags.of(TAG_KIND, kind), devices);
        devices.set(deviceCount);
        this.inFlight = inFlight;
        return new Run(registry.counter(SAMPLES, TAG_KIND, kind), registry.counter(MESSAGES, TAG_KIND, kind),
                registry.counter(PUBLISH_ERRORS, TAG_KIND, kind));
    }

    /** One run's counters. */
    final class Run implements AutoCloseable {
        private final Counter samples;
        private final Counter messages;
        private final Counter errors;

        private Run(Counter samples, Counter messages, Counter errors) {
            this.samples = samples;
            this.messages = messages;
            this.errors = errors;
        }

        void published(int messageCount, long sampleCount) {
            messages.increment(messageCount);
            samples.increment(sampleCount);
        }

        void failed() {
            errors.increment();
        }

        /** The publisher is gone: nothing is in flight any more. */
        @Override
        public void close() {
            inFlight = () -> 0;
        }
    }
}
