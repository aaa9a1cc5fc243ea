package io.vigil.replay;

import io.vigil.ingest.DeviceIds;
import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.topology.SensorTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays Backblaze daily files as a live stream: each drive-day becomes one SMART reading (features
 * from {@link SmartReadings}) keyed by serial number, with the row's date (midnight UTC) as event
 * time; days go out as fast as the sink takes them, or {@code daysPerSecond} days per wall second.
 */
public final class BackblazeReplay {

    /**
     * @param rows     drive-days read
     * @param readings readings published
     * @param notYet   drive-days without a reading: some source column never reported yet
     * @param badIds   drive-days whose serial is not a valid device id ({@link DeviceIds}; not published)
     */
    public record Totals(int days, int totalDays, long rows, long readings, long notYet, long badIds,
                         long badRows, double seconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }
    }

    private final SensorTopology topology;

    public BackblazeReplay(SensorTopology topology) {
        this.topology = topology;
    }

    /** Replays {@code dirOrZip} into {@code sink}; reports totals every {@code every} and at the end. */
    public Totals run(Path dirOrZip, ReadingSink sink, double daysPerSecond, Duration every,
                      Consumer<Totals> progress) throws Exception {
        SmartReadings readings = new SmartReadings(topology, SmartReadings.readerColumns(topology, List.of()));
        SmartReadings.Live live = readings.live();
        BackblazeReader reader = new BackblazeReader(readings.readerColumns());
        long started = System.nanoTime();
        long[] counts = new long[4]; // rows, readings, notYet, badIds
        int[] days = {0};
        long[] nextReport = {started + every.toNanos()};
        Exception[] failure = {null};
        BackblazeReader.Report report = reader.forEachDay(dirOrZip, (date, rows) -> {
            if (failure[0] != null) {
                return;
            }
            try {
                pace(started, days[0], daysPerSecond);
                for (DriveDay row : rows) {
                    counts[0]++;
                    double[] features = live.next(row);
                    if (features == null) {
                        counts[2]++;
                    } else if (!DeviceIds.isValid(row.serial())) {
                        counts[3]++;
                    } else {
                        long ts = row.date().toEpochDay() * SmartReadings.DAY_MS;
                        sink.send(new DeviceSeries(row.serial(), new long[] {ts}, new double[][] {features}, null), 0, 1);
                        counts[1]++;
                    }
                }
                days[0]++;
                if (System.nanoTime() >= nextReport[0]) {
                    nextReport[0] = System.nanoTime() + every.toNanos();
                    progress.accept(totals(days[0], -1, counts, 0, started));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure[0] = e;
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        sink.finish();
        Totals done = totals(days[0], report.days(), counts, report.badRows(), started);
        progress.accept(done);
        return done;
    }

    private static Totals totals(int days, int total, long[] counts, long badRows, long started) {
        return new Totals(days, total, counts[0], counts[1], counts[2], counts[3], badRows,
                (System.nanoTime() - started) / 1e9);
    }

    /** Sleeps until day {@code day} is due at {@code daysPerSecond}; 0 = no pacing. */
    private static void pace(long startedNanos, int day, double daysPerSecond) throws InterruptedException {
        if (daysPerSecond <= 0) {
            return;
        }
        long wait = startedNanos + (long) (day / daysPerSecond * 1e9) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
