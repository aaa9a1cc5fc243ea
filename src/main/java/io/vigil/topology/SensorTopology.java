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
        Map<String, FeatureSource> sources) {

    public SensorTopology {
        features = List.copyOf(features);
        sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
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
    public record AlertPolicy(Double fixedThreshold, int raiseAfter, int clearAfter, Double healthyDeviceShare,
                              Calibrate calibrate) {

        public AlertPolicy(Double fixedThreshold, int raiseAfter, int clearAfter) {
            this(fixedThreshold, raiseAfter, clearAfter, null, null);
        }

        public AlertPolicy(Double fixedThreshold, int raiseAfter, int clearAfter, Double healthyDeviceShare) {
            this(fixedThreshold, raiseAfter, clearAfter, healthyDeviceShare, null);
        }
    }

    /**
     * Each device's own normal ({@code alert.calibrate}): a device's first {@code warmupWindows}
     * windows are its normal and raise nothing. With {@code standardize}, the first half of them
     * gives the device's per-feature mean and std, and every later window is standardized with them
     * before scoring; the remaining warm-up windows' scores give the device's threshold,
     * {@code q + margin × (q − median)} with q their {@code quantile}
     * ({@code io.vigil.model.DeviceCalibration}, used alike by the stream and by evaluation).
     */
    public record Calibrate(int warmupWindows, boolean standardize, double quantile, double margin) {
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
     * days between), and are 0 on a device's first reading.
     */
    public enum Transform {
        /** The value as reported. */
        RAW,
        /** Compresses counters spanning orders of magnitude. */
        LOG1P,
        /** Change since the previous reading, in raw units. */
        DELTA,
        /** Change since the previous reading, compressed: 8 new bad sectors weigh the same on 0 or on 1,000. */
        LOG1P_OF_DELTA
    }

    public record KafkaTopics(String readings, String scores, String alerts, String deadLetter) {
    }
}
