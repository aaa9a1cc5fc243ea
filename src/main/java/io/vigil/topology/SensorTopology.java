package io.vigil.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything Vigil knows about one sensor kind, read from {@code topologies/<kind>.yaml}: the
 * features and their order, how raw payloads and CSV files map to them, the window cut for the
 * model, the alert policy and the MQTT/Kafka names. A new sensor kind needs only a new file.
 *
 * @param kind         sensor kind, also the file's base name (e.g. {@code vibration})
 * @param features     feature names in model order
 * @param sampleRateHz expected raw sample rate
 * @param window       samples per window (after {@link Preprocess})
 * @param hop          samples between the starts of consecutive windows
 * @param preprocess   reduction of raw samples before windowing (block of 1 = none)
 * @param payload      how a JSON payload maps to features
 * @param csv          how a recorded CSV file maps to timestamp, device and label
 * @param modelPath    where the trained model bundle lives (relative to the working directory)
 * @param alert        when windows over threshold become an alert
 * @param mqttTopicFilter MQTT topic filter whose last level is the device id
 * @param kafka        Kafka topic names
 * @param sources      feature → raw column and transform, for kinds whose readings are derived from
 *                     recorded columns (SMART); empty when features are the raw values themselves
 * @param ranges       feature → accepted values ({@code range} in the file); a feature not listed gets
 *                     {@link ValueRange#DEFAULT}. The bridge dead-letters a reading outside its range
 *                     ({@code OUT_OF_RANGE}), and so does the detector.
 */
public record SensorTopology(
        String kind,
        List<String> features,
        double sampleRateHz,
        int window,
        int hop,
        Preprocess preprocess,
        PayloadMapping payload,
        CsvMapping csv,
        Path modelPath,
        AlertPolicy alert,
        String mqttTopicFilter,
        KafkaTopics kafka,
        Map<String, FeatureSource> sources,
        Map<String, ValueRange> ranges) {

    public SensorTopology {
        features = List.copyOf(features);
        sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
        ranges = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ranges));
    }

    /** A topology whose features all have the {@link ValueRange#DEFAULT} range. */
    public SensorTopology(String kind, List<String> features, double sampleRateHz, int window, int hop,
                          Preprocess preprocess, PayloadMapping payload, CsvMapping csv, Path modelPath,
                          AlertPolicy alert, String mqttTopicFilter, KafkaTopics kafka,
                          Map<String, FeatureSource> sources) {
        this(kind, features, sampleRateHz, window, hop, preprocess, payload, csv, modelPath, alert, mqttTopicFilter,
                kafka, sources, Map.of());
    }

    /** A topology whose features are the raw values (no {@code sources} block). */
    public SensorTopology(String kind, List<String> features, double sampleRateHz, int window, int hop,
                          Preprocess preprocess, PayloadMapping payload, CsvMapping csv, Path modelPath,
                          AlertPolicy alert, String mqttTopicFilter, KafkaTopics kafka) {
        this(kind, features, sampleRateHz, window, hop, preprocess, payload, csv, modelPath, alert, mqttTopicFilter,
                kafka, Map.of());
    }

    public int featureCount() {
        return features.size();
    }

    /** The accepted values of feature {@code index} (in feature order). */
    public ValueRange range(int index) {
        return ranges.getOrDefault(features.get(index), ValueRange.DEFAULT);
    }

    /**
     * The values a reading may carry for one feature, bounds included. A bound keeps a broken or hostile
     * sensor's value (say 1e200) out of the model, whose float arithmetic would overflow.
     */
    public record ValueRange(double min, double max) {
        /** For features without a {@code range} entry: beyond any physical sensor's reading. */
        public static final ValueRange DEFAULT = new ValueRange(-1e9, 1e9);

        public ValueRange {
            if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
                throw new IllegalArgumentException("range needs finite min < max, got [" + min + ", " + max + "]");
            }
        }

        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return "[" + min + ", " + max + "]";
        }
    }

    /** Reduction of every {@code block} consecutive raw samples to one, per feature. */
    public record Preprocess(int block, BlockStat stat) {
        public static final Preprocess NONE = new Preprocess(1, BlockStat.MEAN);
    }

    /** How a block of raw samples is reduced. RMS is taken around the block's mean (AC energy). */
    public enum BlockStat { MEAN, RMS }

    /**
     * JSON payload mapping: single sample {@code {"ts":…, "x":…}} or batch
     * {@code {"ts":…, "rateHz":…, "samples":[[…],…]}}.
     *
     * @param fields feature name → JSON field name, in feature order
     */
    public record PayloadMapping(String timestampField, Map<String, String> fields, String samplesField,
                                 String rateField) {
        public PayloadMapping {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    /** Column names of the generic recorded CSV format; feature columns are the feature names. */
    public record CsvMapping(String timestampColumn, String deviceColumn, String labelColumn) {
    }

    /**
     * @param fixedThreshold null when the threshold comes from the model bundle
     * @param raiseAfter     consecutive windows over threshold that raise an alert
     * @param clearAfter     consecutive windows under threshold that clear it
     * @param healthyDeviceShare null: the bundle's threshold is calibrated on healthy validation windows;
     *                       else on healthy validation devices, so that about this share of them would
     *                       raise an alert ({@code io.vigil.model.ThresholdCalibration#forDeviceShare})
     */
    public record AlertPolicy(Double fixedThreshold, int raiseAfter, int clearAfter, Double healthyDeviceShare) {

        public AlertPolicy(Double fixedThreshold, int raiseAfter, int clearAfter) {
            this(fixedThreshold, raiseAfter, clearAfter, null);
        }
    }

    /**
     * Where a derived feature comes from: a raw column (e.g. {@code smart_5_raw}) and the transform
     * applied to it ({@code io.vigil.reading.FeatureTransformer} applies it, for live replay and
     * offline evaluation alike).
     */
    public record FeatureSource(String column, Transform transform) {
    }

    /**
     * Counter-friendly transforms of a raw column. {@code log1p} is signed:
     * {@code sign(v)·ln(1+|v|)}. Deltas are taken against the device's previous reading (whatever the
     * days between), and are 0 on a device's first reading. Growth is taken against the device's first
     * reading: each device is its own baseline, so a counter that sits at 50 from the start reads 0 and
     * one that climbs from 0 to 50 reads 50.
     */
    public enum Transform {
        /** The value as reported. */
        RAW,
        /** Compresses counters spanning orders of magnitude. */
        LOG1P,
        /** Change since the previous reading, in raw units. */
        DELTA,
        /** Change since the previous reading, compressed: 8 new bad sectors weigh the same on 0 or on 1,000. */
        LOG1P_OF_DELTA,
        /** Change since the device's first reading, in raw units. */
        GROWTH,
        /** Change since the device's first reading, compressed like {@link #LOG1P_OF_DELTA}. */
        LOG1P_OF_GROWTH
    }

    public record KafkaTopics(String readings, String scores, String alerts, String deadLetter) {
    }
}
