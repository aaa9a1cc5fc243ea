package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

    @Test
    void eachPlayedFileAdvancesUnitsRecordsAndRecordedTime() {
        // given a replay of three days
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayProgress progress = ReplayProgress.start(registry, "backblaze", 3);

        // when two are played
        progress.unitDone(1_000, 1_364_860_800_000L); // 2013-04-02
        progress.unitDone(1_200, 1_364_947_200_000L);

        // then
        assertThat(registry.get(ReplayProgress.UNITS_PLANNED).tag(ReplayProgress.TAG_SOURCE, "backblaze").gauge().value())
                .isEqualTo(3.0);
        assertThat(registry.get(ReplayProgress.UNITS_PLAYED).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get(ReplayProgress.RECORDS).counter().count()).isEqualTo(2_200.0);
        assertThat(registry.get(ReplayProgress.POSITION).gauge().value()).isEqualTo(1_364_947_200.0);
    }

    @Test
    void recordsWithinAFileAdvanceRecordsAndRecordedTimeButNotUnits() {
        // given a replay of one recording
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayProgress progress = ReplayProgress.start(registry, "recording", 1);

        // when part of it is published
        progress.recordsPublished(500, 1_700_000_001_999L);

        // then
        assertThat(registry.get(ReplayProgress.UNITS_PLAYED).gauge().value()).isZero();
        assertThat(registry.get(ReplayProgress.RECORDS).counter().count()).isEqualTo(500.0);
        assertThat(registry.get(ReplayProgress.POSITION).gauge().value()).isEqualTo(1_700_000_001.0);
    }

    @Test
    void gaugesKeepTheirLastValuesAfterTheReplayLetGoOfItsProgress() {
        // given a finished replay whose progress object is no longer referenced
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayProgress.start(registry, "backblaze", 2).unitDone(10, 1_364_860_800_000L);

        // when the garbage collector has run
        System.gc();

        // then the scrape still shows where it ended
        assertThat(registry.get(ReplayProgress.UNITS_PLANNED).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get(ReplayProgress.UNITS_PLAYED).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get(ReplayProgress.POSITION).gauge().value()).isEqualTo(1_364_860_800.0);
    }
}
