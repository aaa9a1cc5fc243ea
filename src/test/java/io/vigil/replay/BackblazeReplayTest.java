package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.metrics.ReplayProgress;
import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.testkit.SharedData;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackblazeReplayTest {

    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");

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
        Path days = firstRealDays(tmp, 3);
        ListSink sink = new ListSink();

        // when replayed as fast as possible
        BackblazeReplay.Totals totals = new BackblazeReplay(SMART).run(days, sink, 0, BackblazeReplay.Listener.NONE);

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

        // and the first row of the first file, MJ0351YNG9Z0XA (smart_5 0, 9 4031, 197 0), exactly
        DeviceSeries first = sink.readings.get(0);
        assertThat(first.device()).isEqualTo("MJ0351YNG9Z0XA");
        assertThat(first.ts()).containsExactly(LocalDate.of(2013, 4, 10).toEpochDay() * 86_400_000L);
        assertThat(first.values()[0]).containsExactly(0, 0, Math.log1p(4031), 0, 0);
    }

    @Test
    void progressAfterEachDayBadRowsAsMetAndReplayMetersPerDay(@TempDir Path tmp) throws Exception {
        // given two real days, the second with a cut row appended, and a third file without a header
        Path days = firstRealDays(tmp, 2);
        Path second = days.resolve("2013-04-11.csv");
        long lines = Files.readAllLines(second).size();
        Files.writeString(second, "2013-04-11,CUT,Hitachi\r\n", java.nio.file.StandardOpenOption.APPEND);
        Path empty = Files.writeString(days.resolve("2013-04-12.csv"), "");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<BackblazeReplay.Totals> progress = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ListSink sink = new ListSink();

        // when replayed
        BackblazeReplay.Totals done = new BackblazeReplay(SMART, registry).run(days, sink, 0,
                new BackblazeReplay.Listener() {
                    @Override
                    public void progress(BackblazeReplay.Totals totals) {
                        progress.add(totals);
                    }

                    @Override
                    public void problem(String problem) {
                        problems.add(problem + " (after " + sink.readings.size() + " readings)");
                    }
                });

        // then each problem came as met, with file and line, and the replay went on
        long firstDay = progress.get(0).rows();
        assertThat(problems).containsExactly(
                second + ":" + (lines + 1) + ": expected 85 cells as in the header, got 3; row skipped (after "
                        + firstDay + " readings)",
                empty + ": empty file; expected a Drive Stats header; file skipped (after " + done.readings()
                        + " readings)");
        // and progress came after each day, with the total known from the start
        assertThat(progress).extracting(BackblazeReplay.Totals::days, BackblazeReplay.Totals::totalDays,
                        BackblazeReplay.Totals::rows, BackblazeReplay.Totals::readings, BackblazeReplay.Totals::badRows,
                        BackblazeReplay.Totals::skippedFiles)
                .containsExactly(tuple(1, 3, firstDay, firstDay, 0L, 0), tuple(2, 3, done.rows(), done.rows(), 1L, 0),
                        tuple(3, 3, done.rows(), done.rows(), 1L, 1));
        assertThat(done.rows()).isEqualTo(firstDay + lines - 1);
        // and the meters say the same: 3 files of 3, every reading, recorded time at the last published day
        assertThat(registry.get(ReplayProgress.UNITS_PLANNED).tag(ReplayProgress.TAG_SOURCE, "backblaze").gauge()
                .value()).isEqualTo(3.0);
        assertThat(registry.get(ReplayProgress.UNITS_PLAYED).gauge().value()).isEqualTo(3.0);
        assertThat(registry.get(ReplayProgress.RECORDS).counter().count()).isEqualTo((double) done.readings());
        assertThat(registry.get(ReplayProgress.POSITION).gauge().value())
                .isEqualTo((double) LocalDate.of(2013, 4, 11).toEpochDay() * 86_400);
    }

    /** A folder under {@code tmp} holding copies of the first {@code n} daily files of Backblaze's 2013 data. */
    private static Path firstRealDays(Path tmp, int n) throws IOException {
        Path days = Files.createDirectories(tmp.resolve("days"));
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().limit(n).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
            }
        }
        return days;
    }
}
