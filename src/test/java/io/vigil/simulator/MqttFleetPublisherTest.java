package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.PayloadParser;
import org.junit.jupiter.api.Test;

class MqttFleetPublisherTest {

    static final long NOW = 1_768_478_400_000L;
    static final long ALLOWED_MS = PayloadParser.MAX_CLOCK_AHEAD.toMillis() - 60_000;

    @Test
    void aRunThatKeepsWithinTheBridgesClockLimitStartsNow() {
        assertThat(MqttFleetPublisher.startFor(NOW, 86_400, 1)).isEqualTo(NOW);      // real time: never ahead
        assertThat(MqttFleetPublisher.startFor(NOW, 300, 0)).isEqualTo(NOW);         // the demo fleet, flat out: 5 min
    }

    @Test
    void aFastRunStartsEarlySoItsLastSampleIsAtMostTheLimitAhead() {
        // a day of sensor time as fast as possible: every sample could be published at once
        long start = MqttFleetPublisher.startFor(NOW, 86_400, 0);
        assertThat(start + 86_400_000L).isEqualTo(NOW + ALLOWED_MS);

        // an hour at 10x: published over 6 min, the last sample 54 min ahead unless started earlier
        long tenTimes = MqttFleetPublisher.startFor(NOW, 3_600, 10);
        assertThat(tenTimes + 3_600_000L).isEqualTo(NOW + 360_000L + ALLOWED_MS);
    }

    @Test
    void topicPrefixDropsTheWildcard() {
        assertThat(MqttFleetPublisher.topicPrefix("vigil/vibration/+")).isEqualTo("vigil/vibration/");
    }
}
