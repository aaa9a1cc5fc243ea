package io.vigil.replay;

import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.topology.SensorTopology;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays recorded sensor files (generic CSV, ADXL356) through the live pipeline: every device's
 * samples in batches of {@code batch}, devices interleaved in time, times shifted so the first sample
 * falls at {@code startMs} (recordings such as ADXL356 start at time 0, which no broker-side parser
 * takes for a sensor clock).
 */
public final class RecordingReplay {

    /** @param samples samples published, @param readings messages published */
    public record Totals(long samples, long readings, double seconds) {
        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    private final SensorTopology topology;

    public RecordingReplay(SensorTopology topology) {
        this.topology = topology;
    }

    /** @param speed recording seconds per wall second; 0 = as fast as the sink takes them */
    public Totals run(Path file, ReadingSink sink, long startMs, int batch, double speed, Consumer<Totals> progress)
            throws Exception {
        List<DeviceSeries> recorded = RecordingReader.read(file, topology).stream().filter(s -> s.size() > 0).toList();
        long offset = startMs - recorded.stream().mapToLong(s -> s.ts()[0]).min().orElse(startMs);
        List<DeviceSeries> series = recorded.stream().map(s -> shifted(s, offset)).toList();
        long first = startMs;
        long started = System.nanoTime();
        int[] next = new int[series.size()];
        long samples = 0;
        long readings = 0;
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
            if (readings % 1000 == 0) {
                progress.accept(new Totals(samples, readings, (System.nanoTime() - started) / 1e9));
            }
        }
        sink.finish();
        Totals done = new Totals(samples, readings, (System.nanoTime() - started) / 1e9);
        progress.accept(done);
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
