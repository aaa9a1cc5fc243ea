package io.vigil.replay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.metrics.ReplayProgress;
import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays recorded sensor files (generic CSV, ADXL356) through the live pipeline: every device's
 * samples in batches of {@code batch}, devices interleaved in time, times shifted so the first sample
 * falls at {@code startMs} (recordings such as ADXL356 start at time 0, which no broker-side parser
 * takes for a sensor clock). Skipped rows go to the {@link Listener} before the first reading, progress
 * every {@value #PROGRESS_READINGS} readings; the {@link ReplayProgress} meters (source {@value #SOURCE})
 * count the file as one unit.
 */
public final class RecordingReplay {

    /** The {@link ReplayProgress} source of this replay. */
    public static final String SOURCE = "recording";
    /** Readings between two progress reports. */
    public static final int PROGRESS_READINGS = 1000;

    /**
     * @param samples      samples published, of {@code totalSamples} in the file
     * @param readings     messages published
     * @param skippedRows  rows of the file skipped as malformed
     */
    public record Totals(long samples, long totalSamples, long readings, long skippedRows, double seconds) {
        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    /** Hears how a replay goes. */
    public interface Listener {
        /** Every {@value #PROGRESS_READINGS} readings and at the end. */
        void progress(Totals totals);

        /** A skipped row: {@code <file>:<line>: <reason>}. */
        void problem(String problem);
    }

    private final SensorKind kind;
    private final MeterRegistry registry;

    public RecordingReplay(SensorKind kind) {
        this(kind, new SimpleMeterRegistry());
    }

    /** @param registry where the {@link ReplayProgress} meters go (the command's {@code /metrics}) */
    public RecordingReplay(SensorKind kind, MeterRegistry registry) {
        this.kind = kind;
        this.registry = registry;
    }

    /** @param speed recording seconds per wall second; 0 = as fast as the sink takes them */
    public Totals run(Path file, ReadingSink sink, long startMs, int batch, double speed, Listener listener)
            throws Exception {
        Recording recording = RecordingReader.readRecording(file, kind);
        recording.problems().forEach(listener::problem);
        long skipped = recording.problems().size();
        List<DeviceSeries> recorded = recording.series().stream().filter(s -> s.size() > 0).toList();
        long total = recorded.stream().mapToLong(DeviceSeries::size).sum();
        ReplayProgress meters = ReplayProgress.start(registry, SOURCE, 1);
        long offset = startMs - recorded.stream().mapToLong(s -> s.ts()[0]).min().orElse(startMs);
        List<DeviceSeries> series = recorded.stream().map(s -> shifted(s, offset)).toList();
        long first = startMs;
        long started = System.nanoTime();
        int[] next = new int[series.size()];
        long samples = 0;
        long readings = 0;
        long last = startMs;
        while (true) {
            int pick = -1;   // the device whose next batch starts earliest
            for (int d = 0; d < series.size(); d++) {
                if (next[d] < series.get(d).size()
                        && (pick < 0 || series.get(d).ts()[next[d]] < series.get(pick).ts()[next[pick]])) {
                    pick = d;
                }
            }
            if (pick < 0) {
                break;
            }
            DeviceSeries s = series.get(pick);
            int to = Math.min(s.size(), next[pick] + batch);
            pace(started, s.ts()[to - 1] - first, speed);
            sink.send(s, next[pick], to);
            samples += to - next[pick];
            readings++;
            next[pick] = to;
            last = s.ts()[to - 1];
            if (readings % PROGRESS_READINGS == 0) {
                meters.recordsPublished(PROGRESS_READINGS, last);
                listener.progress(new Totals(samples, total, readings, skipped, (System.nanoTime() - started) / 1e9));
            }
        }
        sink.finish();
        meters.unitDone(readings % PROGRESS_READINGS, last);
        Totals done = new Totals(samples, total, readings, skipped, (System.nanoTime() - started) / 1e9);
        listener.progress(done);
        return done;
    }

    /** The series with every time moved by {@code offset} ms (one offset for all devices of a file). */
    static DeviceSeries shifted(DeviceSeries s, long offset) {
        long[] ts = Arrays.stream(s.ts()).map(t -> t + offset).toArray();
        return new DeviceSeries(s.device(), ts, s.values(), s.labels());
    }

    private static void pace(long startedNanos, long recordingMs, double speed) throws InterruptedException {
        if (speed <= 0) {
            return;
        }
        long wait = startedNanos + (long) (recordingMs / speed * 1e6) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
