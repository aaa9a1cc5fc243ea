package io.vigil.replay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.metrics.ReplayProgress;
import io.vigil.payload.DeviceIds;
import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays Backblaze daily files as a live stream: each drive-day becomes one SMART reading (features
 * from {@link SmartReadings}) keyed by serial number, with the row's date (midnight UTC) as event
 * time; days go out as fast as the sink takes them, or {@code daysPerSecond} days per wall second.
 * Progress goes to a {@link Listener} after each day and to {@link ReplayProgress} meters (source
 * {@value #SOURCE}, one unit per daily file); bad rows and skipped files go to the listener as met.
 */
public final class BackblazeReplay {

    /** The {@link ReplayProgress} source of this replay. */
    public static final String SOURCE = "backblaze";

    /**
     * @param days         daily files done (skipped ones included), of {@code totalDays}
     * @param rows         drive-days read
     * @param readings     readings published
     * @param notYet       drive-days without a reading: some source column never reported yet
     * @param badIds       drive-days whose serial is not a valid device id ({@link DeviceIds}; not published)
     * @param badRows      rows skipped as malformed
     * @param skippedFiles daily files skipped whole
     */
    public record Totals(int days, int totalDays, long rows, long readings, long notYet, long badIds,
                         long badRows, int skippedFiles, double seconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }
    }

    /** Hears how a replay goes. */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void progress(Totals totals) {
            }

            @Override
            public void problem(String problem) {
            }
        };

        /** After each daily file. */
        void progress(Totals totals);

        /** A bad row or skipped file, as met: {@code <file>:<line>: <reason>}. */
        void problem(String problem);
    }

    private final SensorKind kind;
    private final MeterRegistry registry;

    public BackblazeReplay(SensorKind kind) {
        this(kind, new SimpleMeterRegistry());
    }

    /** @param registry where the {@link ReplayProgress} meters go (the command's {@code /metrics}) */
    public BackblazeReplay(SensorKind kind, MeterRegistry registry) {
        this.kind = kind;
        this.registry = registry;
    }

    /** Replays {@code dirOrZip} into {@code sink}, then {@link ReadingSink#finish finishes} it. */
    public Totals run(Path dirOrZip, ReadingSink sink, double daysPerSecond, Listener listener) throws Exception {
        SmartReadings readings = new SmartReadings(kind, SmartReadings.readerColumns(kind, List.of()));
        Day day = new Day(readings.live(), sink, daysPerSecond);
        BackblazeReader reader = new BackblazeReader(readings.readerColumns(), p -> {
            day.progress(p);
            listener.progress(day.totals(p));
        }, listener::problem);
        try {
            reader.forEachDay(dirOrZip, day::publish);
        } catch (SinkFailed e) {
            throw e.cause;
        }
        sink.finish();
        return day.totals(day.last);
    }

    /** Publishes day after day and counts; the reader calls it from its own thread, one day at a time. */
    private final class Day {
        final SmartReadings.Live live;
        final ReadingSink sink;
        final double daysPerSecond;
        final long started = System.nanoTime();
        long readings;
        long notYet;
        long badIds;
        long readingsReported;
        long positionMs;
        int visited;
        BackblazeReader.Progress last;
        ReplayProgress meters;

        Day(SmartReadings.Live live, ReadingSink sink, double daysPerSecond) {
            this.live = live;
            this.sink = sink;
            this.daysPerSecond = daysPerSecond;
        }

        void publish(java.time.LocalDate date, List<DriveDay> rows) {
            try {
                pace(started, visited++, daysPerSecond);
                long ts = date.toEpochDay() * SmartReadings.DAY_MS;
                for (DriveDay row : rows) {
                    double[] features = live.next(row);
                    if (features == null) {
                        notYet++;
                    } else if (!DeviceIds.isValid(row.serial())) {
                        badIds++;
                    } else {
                        sink.send(new DeviceSeries(row.serial(), new long[] {ts}, new double[][] {features}, null), 0, 1);
                        readings++;
                    }
                }
                positionMs = ts;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkFailed(e);
            } catch (Exception e) {
                throw new SinkFailed(e);
            }
        }

        /** Meters after each daily file; the first call knows how many files there are. */
        void progress(BackblazeReader.Progress p) {
            if (meters == null) {
                meters = ReplayProgress.start(registry, SOURCE, p.totalDays());
            }
            meters.unitDone(readings - readingsReported, positionMs);
            readingsReported = readings;
            last = p;
        }

        Totals totals(BackblazeReader.Progress p) {
            return new Totals(p.days(), p.totalDays(), p.rows(), readings, notYet, badIds, p.badRows(),
                    p.skippedFiles(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** Carries the sink's exception out of the reader's callback, to be rethrown as it was. */
    private static final class SinkFailed extends RuntimeException {
        final Exception cause;

        SinkFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
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
