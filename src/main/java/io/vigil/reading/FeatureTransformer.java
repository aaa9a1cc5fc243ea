package io.vigil.reading;

import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.FeatureSource;
import io.vigil.kind.SensorKind.Transform;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw recorded columns into a topology's features (its {@code sources} block): the one place
 * where transforms and the empty-cell policy live. The Backblaze replayer uses it to build the
 * readings it publishes, and the offline path (training, evaluation) to build series, so the stream
 * and the report see the same numbers.
 *
 * <p>Growth transforms measure against the device's first reading (the values of its first emitted
 * features), so each device is its own normal: the state is per device, kept wherever readings are
 * made (the replayer for the stream, the offline series for training and evaluation).
 *
 * <p>Empty-cell policy: a NaN column value ("not reported") is replaced by the device's last reported
 * value for that column, so a delta over it is 0. Until a device has reported every column once, it
 * yields no features ({@link Device#apply} returns null) — never a made-up 0.
 */
public final class FeatureTransformer {

    private final List<String> columns;
    private final int[] columnOf;       // feature → index into columns
    private final Transform[] transforms;

    public FeatureTransformer(SensorKind kind) {
        if (kind.sources().isEmpty()) {
            throw new IllegalArgumentException("topology '" + kind.name() + "' declares no feature sources");
        }
        List<String> distinct = new ArrayList<>();
        columnOf = new int[kind.featureCount()];
        transforms = new Transform[kind.featureCount()];
        for (int f = 0; f < columnOf.length; f++) {
            FeatureSource source = kind.sources().get(kind.features().get(f));
            if (!distinct.contains(source.column())) {
                distinct.add(source.column());
            }
            columnOf[f] = distinct.indexOf(source.column());
            transforms[f] = source.transform();
        }
        columns = List.copyOf(distinct);
    }

    /** The raw columns to read, each once, in first-use order: the order {@link Device#apply} expects. */
    public List<String> columns() {
        return columns;
    }

    /** Fresh per-device state (last reported values). */
    public Device newDevice() {
        return new Device();
    }

    /** {@code sign(v)·ln(1+|v|)}. */
    public static double signedLog1p(double v) {
        return Math.copySign(Math.log1p(Math.abs(v)), v);
    }

    /** One device's transform state: its first and last reported value per column. Not thread-safe. */
    public final class Device {
        private final double[] last = new double[columns.size()];
        private final double[] first = new double[columns.size()]; // at the device's first reading
        private boolean emitted;            // a reading was produced: deltas have a previous value

        private Device() {
            java.util.Arrays.fill(last, Double.NaN);
        }

        /**
         * The features of the device's next reading.
         *
         * @param raw one value per {@link #columns()}, NaN = not reported
         * @return the features, or null while some column has never been reported
         */
        public double[] apply(double[] raw) {
            double[] current = new double[raw.length];
            boolean complete = true;
            for (int c = 0; c < raw.length; c++) {
                current[c] = Double.isNaN(raw[c]) ? last[c] : raw[c];
                complete &= !Double.isNaN(current[c]);
            }
            double[] features = null;
            if (complete) {
                if (!emitted) {
                    System.arraycopy(current, 0, first, 0, current.length);
                }
                features = new double[columnOf.length];
                for (int f = 0; f < features.length; f++) {
                    int c = columnOf[f];
                    double previous = emitted ? last[c] : current[c]; // first reading: delta 0
                    features[f] = switch (transforms[f]) {
                        case RAW -> current[c];
                        case LOG1P -> signedLog1p(current[c]);
                        case DELTA -> current[c] - previous;
                        case LOG1P_OF_DELTA -> signedLog1p(current[c] - previous);
                        case GROWTH -> current[c] - first[c];
                        case LOG1P_OF_GROWTH -> signedLog1p(current[c] - first[c]);
                    };
                }
            }
            System.arraycopy(current, 0, last, 0, raw.length);
            emitted |= complete;
            return features;
        }
    }
}
