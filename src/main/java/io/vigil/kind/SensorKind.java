package io.vigil.kind;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything Vigil knows about one sensor kind, read from {@code topologies/<kind>.yaml}: the
 * features and their order, how raw payloads and CSV files map to them, the window cut for the
 * model, the alert policy and the MQTT/Kafka names. A new sensor kind needs only a new file.
 *
 * @param name         sensor kind, also the file's base name (e.g. {@code vibration})
 * @param features     feature names in model order
 * @param sampleRateHz expected raw sample rate
 * @param window       frames per window (a frame is what the front-end makes: a sample, a block, a spectrum)
 * @param hop          frames between the starts of consecutive windows
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
 * @param frontEnd     what turns raw samples into the frames the model windows: {@code preprocess}
 *                     blocks (the default), a {@link Spectrum} of full-rate vibration, or {@link Rolling}
 *                     statistics of a slow sensor
 * @param chosenOn     the recordings (a file-name glob) on which this file's parameters were chosen, or
 *                     null; {@code vigil evaluate} names it in its report so selection and test stay apart
 */
public record SensorKind(
        String name,
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
        Map<String, ValueRange> ranges,
        FrontEndSpec frontEnd,
        String chosenOn) {

    public SensorKind {
        features = List.copyOf(features);
        sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
        ranges = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ranges));
        frontEnd = frontEnd == null ? preprocess : frontEnd;
    }

    /** A topology whose front-end is its {@code preprocess} blocks and whose features all have the {@link ValueRange#DEFAULT} range. */
    public SensorKind(String kind, List<String> features, double sampleRateHz, int window, int hop,
                          Preprocess preprocess, PayloadMapping payload, CsvMapping csv, Path modelPath,
                          AlertPolicy alert, String mqttTopicFilter, KafkaTopics kafka,
                          Map<String, FeatureSource> sources) {
        this(kind, features, sampleRateHz, window, hop, preprocess, payload, csv, modelPath, alert, mqttTopicFilter,
                kafka, sources, Map.of(), preprocess, null);
    }

    /** A topology whose features are the raw values (no {@code sources} block). */
    public SensorKind(String kind, List<String> features, double sampleRateHz, int window, int hop,
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

    /** The names of the model's inputs: one per value of a front-end frame (the raw features for blocks). */
    public List<String> modelFeatures() {
        return frontEnd.outputNames(features);
    }

    /**
     * A front-end's parameters: how raw samples (one value per feature) become frames (one value per
     * model feature). The stateful code that applies it is {@code io.vigil.frontend.FrontEnd}.
     */
    public sealed interface FrontEndSpec permits Preprocess, Spectrum, Rolling {

        /** The model feature names for these raw features, in frame order. */
        List<String> outputNames(List<String> inputs);

        /** Every parameter in one line; saved in the model bundle and compared when it is loaded. */
        String describe();

        /** The raw feature frame value {@code output} comes from. */
        default int inputOf(int output) {
            return output;
        }

        /** The frame value that carries raw feature {@code input}'s level. */
        default int levelOf(int input) {
            return input;
        }

        /**
         * Whether frame value {@code output} moves with its input's level (a level or a mean), so that
         * standardizing the raw feature ({@code (v - mean) / std}) shifts and scales it; otherwise (a
         * change, a spread) it is only scaled.
         */
        default boolean movesWithLevel(int output) {
            return true;
        }
    }

    /** Reduction of every {@code block} consecutive raw samples to one, per feature. */
    public record Preprocess(int block, BlockStat stat) implements FrontEndSpec {
        public static final Preprocess NONE = new Preprocess(1, BlockStat.MEAN);

        @Override
        public List<String> outputNames(List<String> inputs) {
            return List.copyOf(inputs);
        }

        @Override
        public String describe() {
            return "blocks " + block + " " + stat.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Full-rate vibration: every {@code frameHop} raw samples, the last {@code frame} samples of each
     * axis become log band energies (bands log-spaced from {@code lowHz} to {@code highHz}), log energies
     * of its envelope spectrum ({@code envelopeBands} equal bands up to {@code envelopeMaxHz}, the envelope
     * of the signal band-passed to {@code envelopeLowHz..envelopeHighHz}; none when 0 bands), then RMS,
     * kurtosis, crest factor and peak.
     *
     * @param rateHz the real sample rate the band edges refer to (a replay clock may run slower)
     */
    public record Spectrum(double rateHz, int frame, int frameHop, int bands, double lowHz, double highHz,
                           int envelopeBands, double envelopeLowHz, double envelopeHighHz, double envelopeMaxHz)
            implements FrontEndSpec {

        /** Per-axis statistics of the frame's samples, after the bands. */
        public static final List<String> STATS = List.of("rms", "kurtosis", "crest", "peak");

        @Override
        public List<String> outputNames(List<String> inputs) {
            List<String> names = new java.util.ArrayList<>();
            for (String axis : inputs) {
                for (int b = 0; b < bands; b++) {
                    names.add(axis + "_band" + b);
                }
                for (int b = 0; b < envelopeBands; b++) {
                    names.add(axis + "_env" + b);
                }
                for (String stat : STATS) {
                    names.add(axis + "_" + stat);
                }
            }
            return names;
        }

        /** Outputs per raw axis: its bands, its envelope bands and its statistics, in that order. */
        private int perAxis() {
            return bands + envelopeBands + STATS.size();
        }

        @Override
        public int inputOf(int output) {
            return output / perAxis();
        }

        /**
         * An axis has no level at full rate; its frame RMS stands for it, so the baselines of an evaluation
         * (RMS z-score first) judge each axis's vibration energy, as the per-window RMS z-score baseline does.
         */
        @Override
        public int levelOf(int input) {
            return input * perAxis() + bands + envelopeBands + STATS.indexOf("rms");
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "spectrum rate %s Hz, frame %d, frameHop %d, %d bands %s-%s Hz, "
                    + "%d envelope bands to %s Hz of %s-%s Hz", num(rateHz), frame, frameHop, bands, num(lowHz),
                    num(highHz), envelopeBands, num(envelopeMaxHz), num(envelopeLowHz), num(envelopeHighHz));
        }
    }

    /**
     * A slow sensor: per feature, its level, its change since the previous sample, and the mean and
     * standard deviation of its last {@code span} samples. A frame per sample, from the {@code span}-th on.
     */
    public record Rolling(int span) implements FrontEndSpec {

        @Override
        public List<String> outputNames(List<String> inputs) {
            List<String> names = new java.util.ArrayList<>();
            for (String f : inputs) {
                names.addAll(List.of(f, f + "_rate", f + "_mean", f + "_std"));
            }
            return names;
        }

        @Override
        public String describe() {
            return "rolling " + span;
        }

        @Override
        public int inputOf(int output) {
            return output / 4;
        }

        @Override
        public int levelOf(int input) {
            return input * 4;
        }

        @Override
        public boolean movesWithLevel(int output) {
            return output % 4 == 0 || output % 4 == 2;
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
     * ({@code io.vigil.model.DeviceCalibration}, used alike by the stream and by evaluation). With
     * {@code likelihood}, the device is judged by its anomaly likelihood instead of a score threshold.
     *
     * @param likelihood null: each score is held against the device's threshold
     */
    public record Calibrate(int warmupWindows, boolean standardize, double quantile, double margin,
                            Likelihood likelihood) {

        public Calibrate(int warmupWindows, boolean standardize, double quantile, double margin) {
            this(warmupWindows, standardize, quantile, margin, null);
        }

        /** The same calibration judged by the plain score threshold (no likelihood). */
        public Calibrate withoutLikelihood() {
            return new Calibrate(warmupWindows, standardize, quantile, margin, null);
        }
    }

    /**
     * Numenta's anomaly likelihood ({@code alert.calibrate.likelihood}, {@code io.vigil.model.AnomalyLikelihood}):
     * the mean of a device's last {@code shortSpan} scores, held against a Gaussian of its earlier such
     * means (learned on the warm-up's calibrating windows, then followed with an exponential moving mean
     * and variance of span {@code longSpan} windows); a window alerts when {@code 1 − tail} exceeds
     * {@code threshold} (NAB's Numenta detector: 0.99999).
     */
    public record Likelihood(int shortSpan, int longSpan, double threshold) {
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
