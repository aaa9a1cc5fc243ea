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
import io.vigil.topology.SensorTopology;
import io.vigil.topology.SensorTopology.AlertPolicy;
import io.vigil.topology.SensorTopology.Calibrate;
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
        SensorTopology base = Fixtures.vibration();
        SensorTopology kind = new SensorTopology(base.kind(), base.features(), 100, 4, 2, base.preprocess(),
                base.payload(), base.csv(), base.modelPath(), new AlertPolicy(null, 3, 2, null, calibrate),
                base.mqttTopicFilter(), base.kafka());
        driver = new TopologyTestDriver(DetectorTopology.buildTopology(List.of(kind),
                k -> new MeanAbsScorer(MODEL_THRESHOLD), new DetectorSettings(256, FLUSH, new SimpleMeterRegistry())),
                DetectorTopology.streamsConfig("unused:9092", APP_ID, stateDir, 1), Instant.ofEpochMilli(1_800_000_000_000L));
        TestInputTopic<String, byte[]> readings = driver.createInputTopic(kind.kafka().readings(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        TestOutputTopic<String, ScoreEvent> scores = driver.createOutputTopic(kind.kafka().scores(),
                Serdes.String().deserializer(), ScoreEvent.serde().deserializer());
        TestOutputTopic<String, AlertEvent> alerts = driver.createOutputTopic(kind.kafka().alerts(),
                Serdes.String().deserializer(), AlertEvent.serde().deserializer());
        TestOutputTopic<String, DeviceCalibration.State> changelog = driver.createOutputTopic(
                DetectorTopology.changelogTopic(APP_ID, new DetectorTopology.Names(kind.kind()).calibrationStore()),
                Serdes.String().deserializer(), new JsonSerde<>(DeviceCalibration.State.class).deserializer());
        // the warm-up: windows at samples 0, 2, 4, 6, all healthy, all over the model's threshold
        double[][] samples = concat(repeat(HEALTHY, 10), repeat(RAISED, 8));
        double ownThreshold = MeanAbsScorer.scoreOne(window(repeat(HEALTHY, 4))).score();

        // when
        SampleBatch batch = batch(0, samples);
        readings.pipeInput("pump-1", new SampleBatchSerde().serializer().serialize("r", batch), batch.ts());
        driver.advanceWallClockTime(FLUSH);

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
