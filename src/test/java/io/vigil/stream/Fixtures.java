package io.vigil.stream;

import io.vigil.model.Window;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.AlertPolicy;
import io.vigil.kind.SensorKind.CsvMapping;
import io.vigil.kind.SensorKind.KafkaTopics;
import io.vigil.kind.SensorKind.PayloadMapping;
import io.vigil.kind.SensorKind.Preprocess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small vibration kind for tests: 3 features at 100 Hz, windows of 4 samples every 2, alert after
 * 3 windows over the scorer's threshold of 1.0, cleared after 2 under.
 */
final class Fixtures {

    static final String KIND = "vibration";
    static final List<String> FEATURES = List.of("x", "y", "z");
    static final long T0 = 1_700_000_000_000L;
    static final long PERIOD_MS = 10;
    static final double THRESHOLD = 1.0;
    /** Healthy sample: mean |value| 1/3, feature ratio 2:1:1. */
    static final double[] HEALTHY = {0.5, 0.25, 0.25};
    /** Faulty sample: mean |value| 4 (CRITICAL), same 2:1:1 ratio so shares stay exact. */
    static final double[] FAULTY = {6, 3, 3};

    private Fixtures() {
    }

    static SensorKind vibration() {
        return vibration(null);
    }

    static SensorKind vibration(Double fixedThreshold) {
        Map<String, String> fields = new LinkedHashMap<>();
        FEATURES.forEach(f -> fields.put(f, f));
        return new SensorKind(KIND, FEATURES, 100, 4, 2, Preprocess.NONE,
                new PayloadMapping("ts", fields, "samples", "rateHz"), new CsvMapping("ts", "device", "label"),
                Path.of("models/vibration"), new AlertPolicy(fixedThreshold, 3, 2), "vigil/vibration/+",
                new KafkaTopics("vigil.readings.vibration", "vigil.scores.vibration", "vigil.alerts",
                        "vigil.deadletter"));
    }

    /** {@link #vibration()} with another front-end. */
    static SensorKind withFrontEnd(SensorKind.FrontEndSpec frontEnd) {
        SensorKind t = vibration();
        return new SensorKind(t.name(), t.features(), t.sampleRateHz(), t.window(), t.hop(), t.preprocess(),
                t.payload(), t.csv(), t.modelPath(), t.alert(), t.mqttTopicFilter(), t.kafka(), t.sources(), t.ranges(), frontEnd,
                null);
    }

    static long ts(int sample) {
        return T0 + sample * PERIOD_MS;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of a device, as one batch. */
    static SampleBatch batch(int from, double[][] samples) {
        return new SampleBatch(ts(from), PERIOD_MS, samples);
    }

    /** {@code count} copies of one sample. */
    static double[][] repeat(double[] sample, int count) {
        double[][] samples = new double[count][];
        java.util.Arrays.fill(samples, sample);
        return samples;
    }

    /** The score event the test scorer gives the window of {@code samples[start..start+3]}. */
    static ScoreEvent expectedScore(String device, double[][] samples, int start) {
        float[][] values = new float[FEATURES.size()][4];
        for (int t = 0; t < 4; t++) {
            for (int f = 0; f < FEATURES.size(); f++) {
                values[f][t] = (float) samples[start + t][f];
            }
        }
        var score = MeanAbsScorer.scoreOne(new Window(ts(start), ts(start + 3), values));
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int f = 0; f < FEATURES.size(); f++) {
            shares.put(FEATURES.get(f), score.featureShare()[f]);
        }
        return new ScoreEvent(device, KIND, ts(start), ts(start + 3), score.score(), THRESHOLD,
                MeanAbsScorer.VERSION, shares);
    }

    /** Sample {@code i} = (i, 2i, 0) / 64: every window differs, so a wrong hop shows; all under threshold. */
    static double[][] ramp(int count) {
        double[][] samples = new double[count][];
        for (int i = 0; i < count; i++) {
            samples[i] = new double[] {i / 64.0, 2.0 * i / 64.0, 0};
        }
        return samples;
    }

    static double[][] concat(double[][]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(double[][]::new);
    }
}
