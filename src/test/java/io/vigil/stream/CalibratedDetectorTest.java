package io.vigil.stream;

import static io.vigil.stream.Fixtures.HEALTHY;
import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.concat;
import static io.vigil.stream.Fixtures.repeat;
import static io.vigil.stream.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.model.DeviceCalibration;
import io.vigil.model.Window;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.AlertPolicy;
import io.vigil.kind.SensorKind.Calibrate;
import io.vigil.kind.SensorKind.Likelihood;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.assertj.core.groups.Tuple;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kind with {@code alert.calibrate}: each device's warm-up raises nothing and sets its own threshold. */
class CalibratedDetectorTest {

    private static final String APP_ID = "vigil-calibrated-test";
    private static final Duration FLUSH = Duration.ofMillis(50);
    /** Slightly above healthy: mean |v| 0.4 against 1/3. */
    private static final double[] RAISED = {0.6, 0.3, 0.3};
    /** The model's threshold, under healthy scores: without calibration every window would be over it. */
    private static final double MODEL_THRESHOLD = 0.1;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aDeviceWarmsUpSilentlyThenAlertsAgainstItsOwnThreshold() {
        // given: window 4, hop 2; 4 warm-up windows, threshold = their highest score (quantile 1, margin 0)
        Calibrate calibrate = new Calibrate(4, false, 1.0, 0.0);
        SensorKind kind = calibratedKind(3, calibrate);
        startDriver(kind);
        TestOutputTopic<String, ScoreEvent> scores = scores(kind);
        TestOutputTopic<String, AlertEvent> alerts = driver.createOutputTopic(kind.kafka().alerts(),
                Serdes.String().deserializer(), AlertEvent.serde().deserializer());
        TestOutputTopic<String, DeviceCalibration.State> changelog = changelog(kind);
        // the warm-up: windows at samples 0, 2, 4, 6, all healthy, all over the model's threshold
        double[][] samples = concat(repeat(HEALTHY, 10), repeat(RAISED, 8));
        double ownThreshold = MeanAbsScorer.scoreOne(window(repeat(HEALTHY, 4))).score();

        // when
        pipe(kind, samples);

        // then: warm-up windows are published against the model's threshold, later ones against the device's
        List<ScoreEvent> published = scores.readValuesToList();
        assertThat(published).extracting(ScoreEvent::threshold).containsExactly(MODEL_THRESHOLD, MODEL_THRESHOLD,
                MODEL_THRESHOLD, MODEL_THRESHOLD, ownThreshold, ownThreshold, ownThreshold, ownThreshold);
        // the warm-up raised nothing; windows 8, 10, 12 hold RAISED samples, over the device's threshold: one alert
        assertThat(alerts.readValuesToList()).extracting(AlertEvent::state, AlertEvent::firstWindowStart,
                        AlertEvent::threshold)
                .containsExactly(Tuple.tuple(AlertEvent.State.RAISED, ts(8), ownThreshold));
        // the device's calibration is in its changelog (what a restarted task restores), threshold set
        List<DeviceCalibration.State> logged = changelog.readValuesToList();
        assertThat(logged.get(logged.size() - 1).threshold()).isEqualTo(ownThreshold);
        assertThat(logged.get(logged.size() - 1).scored()).isEqualTo(8);
    }

    @Test
    void withALikelihoodEachEventCarriesTheLikelihoodThatTheEvaluationsReplayGivesAndTheChangelogKeepsItsState() {
        // given: the kind above judged by its anomaly likelihood (short mean of 2, long span 3, threshold 0.9)
        Calibrate calibrate = new Calibrate(4, false, 1.0, 0.0, new Likelihood(2, 3, 0.9));
        SensorKind kind = calibratedKind(1, calibrate);
        startDriver(kind);
        TestOutputTopic<String, ScoreEvent> scores = scores(kind);
        TestOutputTopic<String, DeviceCalibration.State> changelog = changelog(kind);
        double[][] samples = concat(repeat(HEALTHY, 10), repeat(RAISED, 8));
        // what the evaluation computes: each window's score replayed through the same DeviceCalibration
        DeviceCalibration calibration = new DeviceCalibration(calibrate, 2);
        DeviceCalibration.State expected = DeviceCalibration.State.fresh(3);
        List<Double> values = new java.util.ArrayList<>();
        for (int start = 0; start + 4 <= samples.length; start += 2) {
            Window w = window(java.util.Arrays.copyOfRange(samples, start, start + 4));
            expected = calibration.cut(expected, w).state();
            double score = MeanAbsScorer.scoreOne(w).score();
            DeviceCalibration.Judged judged = calibration.scored(expected, score);
            expected = judged.state();
            values.add(judged.value());
        }

        // when
        pipe(kind, samples);

        // then: warm-up events carry their scores against the model's threshold, later ones the likelihood
        // against its threshold, the values the replay gives; the changelog holds the replay's final state
        List<ScoreEvent> published = scores.readValuesToList();
        assertThat(published).extracting(ScoreEvent::score).containsExactlyElementsOf(values);
        assertThat(published).extracting(ScoreEvent::threshold).containsExactly(MODEL_THRESHOLD, MODEL_THRESHOLD,
                MODEL_THRESHOLD, MODEL_THRESHOLD, 0.9, 0.9, 0.9, 0.9);
        assertThat(values.subList(4, 8)).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        List<DeviceCalibration.State> logged = changelog.readValuesToList();
        assertThat(logged.get(logged.size() - 1)).usingRecursiveComparison().isEqualTo(expected);
        assertThat(expected.likelihood()).isNotNull();
    }

    @Test
    void aCalibrationStateWithItsLikelihoodRoundTripsThroughTheStoresSerde() {
        JsonSerde<DeviceCalibration.State> serde = new JsonSerde<>(DeviceCalibration.State.class);
        DeviceCalibration.State state = new DeviceCalibration.State(12, 11, 7, new double[] {1.5}, new double[] {4.25},
                new double[] {0.5}, new double[] {0.125}, null, 0.99999,
                new io.vigil.model.AnomalyLikelihood.State(new double[] {0.25, 3.5}, 1.0625, 0.0078125));

        DeviceCalibration.State back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));

        assertThat(back).usingRecursiveComparison().isEqualTo(state);
        DeviceCalibration.State fresh = DeviceCalibration.State.fresh(2);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", fresh)))
                .usingRecursiveComparison().isEqualTo(fresh);
    }

    /** The vibration kind at 100 Hz, window 4, hop 2, raising after {@code raiseAfter} windows over its threshold. */
    private static SensorKind calibratedKind(int raiseAfter, Calibrate calibrate) {
        SensorKind base = Fixtures.vibration();
        return new SensorKind(base.name(), base.features(), 100, 4, 2, base.preprocess(),
                base.payload(), base.csv(), base.modelPath(), new AlertPolicy(null, raiseAfter, 2, null, calibrate),
                base.mqttTopicFilter(), base.kafka());
    }

    /** The production topology for {@code kind}, every window scored by its mean |v| against {@link #MODEL_THRESHOLD}. */
    private void startDriver(SensorKind kind) {
        driver = new TopologyTestDriver(DetectorTopology.buildTopology(List.of(kind),
                k -> new MeanAbsScorer(MODEL_THRESHOLD), new DetectorSettings(256, FLUSH, new SimpleMeterRegistry())),
                DetectorTopology.streamsConfig("unused:9092", APP_ID, stateDir, 1), Instant.ofEpochMilli(1_800_000_000_000L));
    }

    private TestOutputTopic<String, ScoreEvent> scores(SensorKind kind) {
        return driver.createOutputTopic(kind.kafka().scores(),
                Serdes.String().deserializer(), ScoreEvent.serde().deserializer());
    }

    /** The calibration store's changelog: what a restarted task restores. */
    private TestOutputTopic<String, DeviceCalibration.State> changelog(SensorKind kind) {
        return driver.createOutputTopic(
                DetectorTopology.changelogTopic(APP_ID, new DetectorTopology.Names(kind.name()).calibrationStore()),
                Serdes.String().deserializer(), new JsonSerde<>(DeviceCalibration.State.class).deserializer());
    }

    /** Pipes {@code samples} as one batch from pump-1 at time 0, then lets the flush punctuator run. */
    private void pipe(SensorKind kind, double[][] samples) {
        TestInputTopic<String, byte[]> readings = driver.createInputTopic(kind.kafka().readings(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        SampleBatch batch = batch(0, samples);
        readings.pipeInput("pump-1", new SampleBatchSerde().serializer().serialize("r", batch), batch.ts());
        driver.advanceWallClockTime(FLUSH);
    }

    /** Samples {@code [time][feature]} as a window {@code [feature][time]}. */
    private static Window window(double[][] samples) {
        float[][] values = new float[samples[0].length][samples.length];
        for (int t = 0; t < samples.length; t++) {
            for (int f = 0; f < samples[t].length; f++) {
                values[f][t] = (float) samples[t][f];
            }
        }
        return new Window(0, 0, values);
    }
}
