package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void inFlightIsPublishedNextToItsMaximumTheReceiveMaximum() {
        // given a bridge's meters with a receive maximum of 3
        BridgeMetrics metrics = new BridgeMetrics(registry, 3);

        // when three messages arrive and one is settled
        metrics.received();
        metrics.received();
        metrics.received();
        metrics.settled("vibration", BridgeMetrics.FORWARDED, System.nanoTime());

        // then the alert rules can compare the two gauges
        assertThat(registry.get(BridgeMetrics.IN_FLIGHT).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get(BridgeMetrics.IN_FLIGHT_MAX).gauge().value()).isEqualTo(3.0);
    }
}
