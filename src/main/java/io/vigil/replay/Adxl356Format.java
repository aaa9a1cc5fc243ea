package io.vigil.replay;

import io.vigil.config.ConfigException;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Analog Devices' ADXL356 waveform export ({@code *.Wfm.csv}): {@code ;}-separated, no header,
 * {@code time_s; x; y; z} in volts, the first row carrying three extra per-axis offset fields.
 *
 * <p>Each axis's mean over the file (the zero-g bias, about 0.9 V) is subtracted, so values are
 * volts around zero. The 20 kHz recording is replayed on a slowed clock where one sample is one
 * millisecond ({@code ts = round(time_s × 20,000)}): DeviceSeries keeps whole milliseconds, and
 * 0.05 ms real steps would collide. The label is 0 for the healthy rig setting
 * ({@value #HEALTHY}) and 1 for every fault file; the device id is the file name without
 * {@value #SUFFIX}.
 */
public final class Adxl356Format {

    /** Sample rate of the recordings; one sample becomes one millisecond on the replay clock. */
    public static final double RECORDED_RATE_HZ = 20_000;
    public static final String SUFFIX = ".Wfm.csv";
    /** Good bearing, good shaft, balanced load, well aligned: the rig's healthy setting. */
    public static final String HEALTHY = "GoB_GS_BaLo_WA";
    private static final List<String> AXES = List.of("x", "y", "z");

    private Adxl356Format() {
    }

    /** By name, or by content: a first line of {@code ;}-separated numbers. */
    static boolean matches(Path file, String firstLine) {
        if (file.getFileName().toString().endsWith(SUFFIX)) {
            return true;
        }
        if (firstLine.indexOf(';') < 0) {
            return false;
        }
        for (String cell : Cells.split(firstLine, ';')) {
            if (!isNumber(cell)) {
                return false;
            }
        }
        return true;
    }

    /** 0 for the healthy setting, 1 for a fault. */
    public static int label(Path file) {
        return file.getFileName().toString().contains(HEALTHY) ? 0 : 1;
    }

    public static String device(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length())
                : name.replaceFirst("\\.[^.]*$", "");
    }

    static Recording read(Path file, SensorKind kind) {
        int[] axisOf = axes(file, kind);
        int label = label(file);
        SeriesBuilder builder = new SeriesBuilder(device(file), axisOf.length);
        List<String> problems = new ArrayList<>();
        double[] sample = new double[axisOf.length];
        long previous = Long.MIN_VALUE;
        try (BufferedReader in = RecordingReader.open(file)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = Cells.split(line, ';');
                String problem = parse(cells, axisOf, sample);
                long ts = problem == null ? Math.round(Double.parseDouble(cells[0]) * RECORDED_RATE_HZ) : 0;
                if (problem == null && ts <= previous) {
                    problem = "time " + cells[0] + " s does not follow the previous row";
                }
                if (problem != null) {
                    problems.add(file + ":" + lineNo + ": " + problem + "; row skipped");
                    continue;
                }
                builder.add(ts, sample, label, lineNo);
                previous = ts;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int f = 0; f < axisOf.length; f++) {
            builder.subtract(f, builder.mean(f));
        }
        DeviceSeries series = builder.build(true, file.toString(), problems);
        return new Recording(series.size() == 0 ? List.of() : List.of(series), problems);
    }

    /** Fills {@code sample} (topology feature order) from the row, or returns why the row cannot be used. */
    private static String parse(String[] cells, int[] axisOf, double[] sample) {
        // 4 cells; the first row adds the three per-axis offsets, which the file mean supersedes.
        if (cells.length != 4 && cells.length != 7) {
            return "expected 4 cells 'time_s; x; y; z', got " + cells.length;
        }
        for (int c = 0; c < 4; c++) {
            if (!isNumber(cells[c])) {
                return (c == 0 ? "time_s" : AXES.get(c - 1)) + ": expected a finite number, got " + Cells.quote(cells[c]);
            }
        }
        for (int f = 0; f < axisOf.length; f++) {
            sample[f] = Double.parseDouble(cells[1 + axisOf[f]]);
        }
        return null;
    }

    /** Position of each topology feature among x, y, z; the topology may name them in any order. */
    private static int[] axes(Path file, SensorKind kind) {
        int[] axisOf = new int[kind.featureCount()];
        for (int f = 0; f < axisOf.length; f++) {
            axisOf[f] = AXES.indexOf(kind.features().get(f));
            if (axisOf[f] < 0) {
                throw new ConfigException(file + ": ADXL356 recording carries features " + AXES + ", but topology '"
                        + kind.name() + "' expects " + kind.features());
            }
        }
        return axisOf;
    }

    private static boolean isNumber(String cell) {
        try {
            return Double.isFinite(Double.parseDouble(cell));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
