package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.payload.RejectReason;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bridge's meters as dashboards see them: every name, type, tag and count in the whole registry
 * after one of each event, and the series the Prometheus scrape exposes (the latency timer's
 * histogram buckets included). Written against the meters as they were before they were registered
 * once and kept, so a change to any name or tag fails here.
 */
class BridgeMetricsTest {

    @Test
    void theRegistryHoldsExactlyTheBridgesMetersWithTheirTagsAndCounts() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        oneOfEach(registry);

        // then
        assertThat(describe(registry)).containsExactly(
                "COUNTER vigil.bridge.kafka.retries{kind=vibration} = 2.0",
                "COUNTER vigil.bridge.readings{kind=unknown,outcome=dead_lettered} = 1.0",
                "COUNTER vigil.bridge.readings{kind=vibration,outcome=dead_lettered} = 1.0",
                "COUNTER vigil.bridge.readings{kind=vibration,outcome=forwarded} = 2.0",
                "COUNTER vigil.bridge.reconnects{} = 1.0",
                "COUNTER vigil.bridge.rejected{kind=unknown,reason=UNKNOWN_TOPIC} = 1.0",
                "COUNTER vigil.bridge.rejected{kind=vibration,reason=RAGGED_BATCH} = 1.0",
                "COUNTER vigil.bridge.samples{kind=vibration} = 150.0",
                "GAUGE vigil.bridge.inflight.max{} = 7.0",
                "GAUGE vigil.bridge.inflight{} = 1.0",
                "TIMER vigil.bridge.forward.latency{kind=unknown} = 1",
                "TIMER vigil.bridge.forward.latency{kind=vibration} = 3");
    }

    @Test
    void thePrometheusScrapeExposesTheSameSeries() {
        // given
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        // when
        oneOfEach(registry);

        // then every series, by name and label names (the histogram's le values vary with its layout)
        assertThat(series(registry.scrape())).containsExactly(
                "vigil_bridge_forward_latency_seconds_bucket{kind,le}",
                "vigil_bridge_forward_latency_seconds_count{kind}",
                "vigil_bridge_forward_latency_seconds_max{kind}",
                "vigil_bridge_forward_latency_seconds_sum{kind}",
                "vigil_bridge_inflight_max{}",
                "vigil_bridge_inflight{}",
                "vigil_bridge_kafka_retries_total{kind}",
                "vigil_bridge_readings_total{kind,outcome}",
                "vigil_bridge_reconnects_total{}",
                "vigil_bridge_rejected_total{kind,reason}",
                "vigil_bridge_samples_total{kind}");
        assertThat(registry.scrape()).contains("vigil_bridge_forward_latency_seconds_bucket{kind=\"vibration\",le=\"+Inf\"} 3");
    }

    /**
     * Four messages: two forwarded (100 and 50 samples, the first after two Kafka refusals), one
     * rejected and dead-lettered, one on a topic no kind claims; a reconnect; a fifth message still
     * in flight and a sixth abandoned at shutdown; the receive maximum is 7.
     */
    private static void oneOfEach(MeterRegistry registry) {
        BridgeMetrics metrics = new BridgeMetrics(registry, 7); // receive maximum 7: the in-flight gauge's ceiling
        BridgeMetrics.Kind vibration = metrics.kind("vibration");
        BridgeMetrics.Kind unknown = metrics.kind("unknown");
        metrics.kind("unused"); // a kind nothing happened to has no meters
        for (int i = 0; i < 6; i++) {
            metrics.received();
        }
        long arrived = System.nanoTime();
        vibration.kafkaFailure();
        vibration.kafkaFailure();
        vibration.forwarded(arrived, 100);
        vibration.forwarded(arrived, 50);
        vibration.rejected(RejectReason.RAGGED_BATCH);
        vibration.deadLettered(arrived);
        unknown.rejected(RejectReason.UNKNOWN_TOPIC);
        unknown.deadLettered(arrived);
        metrics.reconnected();
        metrics.abandoned();
    }

    private static List<String> describe(MeterRegistry registry) {
        return registry.getMeters().stream().map(BridgeMetricsTest::describe).sorted().toList();
    }

    private static String describe(Meter meter) {
        Meter.Id id = meter.getId();
        String tags = id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
        String value = meter instanceof Counter c ? String.valueOf(c.count())
                : meter instanceof Timer t ? String.valueOf(t.count())
                : meter instanceof Gauge g ? String.valueOf(g.value())
                : meter.getClass().getSimpleName();
        return id.getType() + " " + id.getName() + "{" + tags + "} = " + value;
    }

    /** {@code name{label,…}} of every sample line in a Prometheus text scrape. */
    private static List<String> series(String scrape) {
        return scrape.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String head = line.substring(0, line.lastIndexOf(' '));
                    int brace = head.indexOf('{');
                    if (brace < 0) {
                        return head + "{}";
                    }
                    String labels = Arrays.stream(head.substring(brace + 1, head.length() - 1).split(","))
                            .map(label -> label.substring(0, label.indexOf('=')))
                            .collect(Collectors.joining(","));
                    return head.substring(0, brace) + "{" + labels + "}";
                })
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }
}
