package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackblazeReplayTest {

    static final SensorTopology SMART = TopologyLoader.load(TopologyLoader.DEFAULT_DIR, "smart");

    /** Remembers what it was sent. */
    static final class ListSink implements ReadingSink {
        final List<DeviceSeries> readings = new ArrayList<>();
        boolean finished;

        @Override
        public void send(DeviceSeries series, int from, int to) {
            readings.add(new DeviceSeries(series.device(), java.util.Arrays.copyOfRange(series.ts(), from, to),
                    java.util.Arrays.copyOfRange(series.values(), from, to), null));
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyDriveDayOfThreeRealDaysIsOneReadingAtItsDate(@TempDir Path tmp) throws Exception {
        // given three real days
        Path days = Files.createDirectories(tmp.resolve("days"));
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().limit(3).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
            }
        }
        ListSink sink = new ListSink();

        // when replayed as fast as possible
        BackblazeReplay.Totals totals = new BackblazeReplay(SMART).run(days, sink, 0, Duration.ofHours(1), t -> { });

        // then each row is one reading (2013 fills every source column, all serials are valid ids)
        assertThat(totals.days()).isEqualTo(3);
        assertThat(totals.notYet()).isZero();
        assertThat(totals.badIds()).isZero();
        assertThat(totals.readings()).isEqualTo(totals.rows());
        assertThat(sink.readings).hasSize((int) totals.rows());
        assertThat(sink.finished).isTrue();
        Set<String> serialDays = new HashSet<>();
        sink.readings.forEach(r -> serialDays.add(r.device() + "@" + r.ts()[0]));
        assertThat(serialDays).hasSize(sink.readings.size());

        // and the first row of the first file, MJ0351YNG9Z0XA (smart_1 0, 5 0, 9 4031, 194 26, 197 0), exactly
        DeviceSeries first = sink.readings.get(0);
        assertThat(first.device()).isEqualTo("MJ0351YNG9Z0XA");
        assertThat(first.ts()).containsExactly(LocalDate.of(2013, 4, 10).toEpochDay() * 86_400_000L);
        assertThat(first.values()[0]).containsExactly(0, 0, 0, Math.log1p(4031), 26, 0, 0);
    }
}
