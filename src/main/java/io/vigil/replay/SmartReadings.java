package io.vigil.replay;

import io.vigil.reading.DeviceSeries;
import io.vigil.reading.FeatureTransformer;
import io.vigil.kind.SensorKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Backblaze rows as SMART readings of a topology with {@code sources} ({@code topologies/smart.yaml}):
 * both the live replay ({@link Live}, one drive-day at a time) and the offline path
 * ({@link #series(DriveHistory)}) go through the same {@link FeatureTransformer}.
 */
public final class SmartReadings {

    /** Milliseconds per day: a drive-day's event time is its date at midnight UTC. */
    public static final long DAY_MS = 86_400_000L;

    private final FeatureTransformer transformer;
    private final List<String> readerColumns;
    private final int[] at; // transformer column → index in readerColumns

    /** @param readerColumns the columns the {@link BackblazeReader} was asked for; must hold the sources' columns */
    public SmartReadings(SensorKind kind, List<String> readerColumns) {
        this.transformer = new FeatureTransformer(kind);
        this.readerColumns = List.copyOf(readerColumns);
        this.at = transformer.columns().stream().mapToInt(readerColumns::indexOf).toArray();
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0) {
                throw new IllegalArgumentException("reader columns " + readerColumns + " lack "
                        + transformer.columns().get(i));
            }
        }
    }

    /** The topology's source columns followed by {@code extra} ones not among them (e.g. the baseline rule's). */
    public static List<String> readerColumns(SensorKind kind, List<String> extra) {
        List<String> columns = new ArrayList<>(new FeatureTransformer(kind).columns());
        extra.stream().filter(c -> !columns.contains(c)).forEach(columns::add);
        return columns;
    }

    public List<String> readerColumns() {
        return readerColumns;
    }

    /**
     * A drive's features on its day clock; days before it has reported every source column are left
     * out (see {@link FeatureTransformer}). No labels: evaluation judges drives by failure date.
     */
    public DeviceSeries series(DriveHistory history) {
        FeatureTransformer.Device device = transformer.newDevice();
        long[] ts = new long[history.days()];
        double[][] rows = new double[history.days()][];
        int kept = 0;
        double[] raw = new double[at.length];
        for (int r = 0; r < history.days(); r++) {
            for (int c = 0; c < at.length; c++) {
                raw[c] = history.value(r, at[c]);
            }
            double[] features = device.apply(raw);
            if (features != null) {
                ts[kept] = history.epochDays()[r] * DAY_MS;
                rows[kept++] = features;
            }
        }
        return new DeviceSeries(history.serial(), Arrays.copyOf(ts, kept), Arrays.copyOf(rows, kept), null);
    }

    /**
     * Training data for a SMART model: the series of every drive in {@code dirOrZip} that never
     * fails there (a drive that fails later still trains as healthy: its early days look healthy).
     */
    public static List<DeviceSeries> neverFailed(java.nio.file.Path dirOrZip, SensorKind kind) {
        return every(dirOrZip, kind).stream().filter(s -> java.util.Arrays.stream(s.labels()).allMatch(l -> l == 0))
                .map(s -> new DeviceSeries(s.device(), s.ts(), s.values(), null)).toList();
    }

    /**
     * Every drive in {@code dirOrZip}, failed ones included (offline scoring must see them): labelled
     * 1 on the reading of its failure day, 0 on every other reading, so training can leave failed drives out.
     */
    public static List<DeviceSeries> every(java.nio.file.Path dirOrZip, SensorKind kind) {
        SmartReadings readings = new SmartReadings(kind, readerColumns(kind, List.of()));
        return BackblazeReader.readHistories(dirOrZip, readings.readerColumns()).values().stream()
                .map(readings::labelled).toList();
    }

    private DeviceSeries labelled(DriveHistory history) {
        DeviceSeries s = series(history);
        long failure = history.failed() ? history.failureDate().toEpochDay() * DAY_MS : Long.MIN_VALUE;
        int[] labels = new int[s.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = s.ts()[i] == failure ? 1 : 0;
        }
        return new DeviceSeries(s.device(), s.ts(), s.values(), labels);
    }

    /** Per-drive transform state for a replay in date order. */
    public Live live() {
        return new Live();
    }

    /** Turns drive-days, in date order, into readings; holds one small state per drive. */
    public final class Live {
        private final Map<String, FeatureTransformer.Device> drives = new HashMap<>();
        private final double[] raw = new double[at.length];

        private Live() {
        }

        /** The features of this drive-day's reading, or null while the drive has not reported every column. */
        public double[] next(DriveDay row) {
            for (int c = 0; c < at.length; c++) {
                raw[c] = row.values()[at[c]];
            }
            return drives.computeIfAbsent(row.serial(), s -> transformer.newDevice()).apply(raw);
        }
    }
}
