package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicFiltersTest {

    static final List<String> KINDS = List.of("vigil/vibration/+", "vigil/smart/+", "vigil/adxl356/+");

    @Test
    void allKindsAreCaughtByOneSubscriptionUnderTheirFirstLevel() {
        assertThat(TopicFilters.catching(KINDS, true)).containsExactly("vigil/#");
    }

    @Test
    void someKindsOnlyAreWidenedOneLevelEachSoNeighboursMessagesStayUnseen() {
        assertThat(TopicFilters.catching(List.of("vigil/vibration/+", "vigil/smart/+"), false))
                .containsExactly("vigil/vibration/#", "vigil/smart/#");
    }

    @Test
    void aFilterAnotherCoversIsLeftOutSoNoMessageArrivesTwice() {
        assertThat(TopicFilters.catching(List.of("plant/vibration/+", "plant/#", "other/+/x"), false))
                .containsExactly("plant/#", "other/+/x");
    }

    @Test
    void everyTopicTheKindsClaimIsStillCaught() {
        for (String topic : List.of("vigil/vibration/b1", "vigil/vibration/b1/extra", "vigil/turbine/t1")) {
            assertThat(TopicFilters.catching(KINDS, true)).anyMatch(f -> TopicFilters.matches(f, topic));
        }
        assertThat(TopicFilters.catching(List.of("vigil/vibration/+"), false))
                .noneMatch(f -> TopicFilters.matches(f, "vigil/smart/s1"));
    }
}
