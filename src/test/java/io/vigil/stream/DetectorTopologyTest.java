package io.vigil.stream;

import static io.vigil.stream.Fixtures.FAULTY;
import static io.vigil.stream.Fixtures.HEALTHY;
import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.concat;
import static io.vigil.stream.Fixtures.expectedScore;
import static io.vigil.stream.Fixtures.ramp;
import static io.vigil.stream.Fixtures.repeat;
import static io.vigil.stream.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.config.ConfigException;
import io.vigil.model.Window;
import io.vigil.model.Windower;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.stream.AlertEvent.Severity;
import io.vigil.stream.AlertEvent.State;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production topology, end to end in one JVM: readings in, score/alert/dead-letter records out. */
class DetectorTopologyTest {

    private static final DetectorTopology.Names NAMES = new DetectorTopology.Names(Fixtures.KIND);
    private static final Instant WALL_CLOCK = Instant.ofEpochMilli(1_800_000_000_000L);
    private static final Duration FLUSH = Duration.ofMillis(50);
    private static final String APP_ID = "vigil-detector-test";

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> readings;
    private TestOutputTopic<String, ScoreEvent> scores;
    private TestOutputTopic<String, AlertEvent> alerts;
    private TestOutputTopic<String, byte[]> deadLetters;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void scoresEveryWindowAtTheHop() {
        // given
        start();
        double[][] samples = ramp(10);

        // when: the samples arrive in three records, then the flush punctuation fires
        send("pump-1", batch(0, Arrays.copyOfRange(samples, 0, 3)));
        send("pump-1", batch(3, Arrays.copyOfRange(samples, 3, 7)));
        send("pump-1", batch(7, Arrays.copyOfRange(samples, 7, 10)));
        driver.advanceWallClockTime(FLUSH);

        // then: windows start every 2 samples once 4 are there
        assertThat(scores.readKeyValuesToList()).isEqualTo(List.of(
                KeyValue.pair("pump-1", expectedScore("pump-1", samples, 0)),
                KeyValue.pair("pump-1", expectedScore("pump-1", samples, 2)),
                KeyValue.pair("pump-1", expectedScore("pump-1", samples, 4)),
                KeyValue.pair("pump-1", expectedScore("pump-1", samples, 6))));
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void aSustainedAnomalyRaisesOnceAndClearsOnce() {
        // given: 8 healthy samples, 12 faulty, 12 healthy; windows starting at 6..18 contain faulty samples
        start();
        double[][] samples = concat(repeat(HEALTHY, 8), repeat(FAULTY, 12), repeat(HEALTHY, 12));

        // when
        send("pump-1", batch(0, samples));
        driver.advanceWallClockTime(FLUSH);

        // then: RAISED on the 3rd window over threshold (start 10), CLEARED on the 2nd under (start 22)
        long detectedAt = WALL_CLOCK.toEpochMilli() + FLUSH.toMillis();
        Map<String, Double> shares = Map.of("x", 0.5, "y", 0.25, "z", 0.25);
        assertThat(alerts.readValuesToList()).isEqualTo(List.of(
                new AlertEvent("pump-1@" + ts(6), "pump-1", Fixtures.KIND, State.RAISED, Severity.CRITICAL,
                        4.0, Fixtures.THRESHOLD, ts(6), ts(13), shares, MeanAbsScorer.VERSION, detectedAt),
                new AlertEvent("pump-1@" + ts(6), "pump-1", Fixtures.KIND, State.CLEARED, Severity.CRITICAL,
                        4.0, Fixtures.THRESHOLD, ts(6), ts(21), shares, MeanAbsScorer.VERSION, detectedAt)));
        assertThat(scores.getQueueSize()).isEqualTo(15);
        assertThat(alertStore().get("pump-1")).isNull();
        assertThat(registry.get(DetectorMetrics.ALERTS_RAISED).counter().count()).isEqualTo(1);
        assertThat(registry.get(DetectorMetrics.ALERTS_CLEARED).counter().count()).isEqualTo(1);
        assertThat(registry.get(DetectorMetrics.ALERTS_ACTIVE).gauge().value()).isZero();
    }

    @Test
    void anAlertInProgressIsInTheStoreAndTheGauge() {
        // given
        start();
        double[][] samples = concat(repeat(HEALTHY, 8), repeat(FAULTY, 12));

        // when
        send("pump-1", batch(0, samples));
        driver.advanceWallClockTime(FLUSH);

        // then: windows at 6 (two faulty samples, score 26/12) to 16 (all faulty, 4.0) are over threshold
        assertThat(alerts.readValuesToList()).extracting(AlertEvent::state).isEqualTo(List.of(State.RAISED));
        double[] overScores = {26.0 / 12, 4, 4, 4, 4, 4};
        assertThat(alertStore().get("pump-1")).isEqualTo(new AlertState(true, 6, 0, ts(6), ts(19), 4.0,
                Map.of("x", errorSum(0.5, overScores), "y", errorSum(0.25, overScores),
                        "z", errorSum(0.25, overScores))));
        assertThat(registry.get(DetectorMetrics.ALERTS_ACTIVE).gauge().value()).isEqualTo(1);
    }

    @Test
    void intermittentWindowsOverThresholdBelowRaiseAfterRaiseNothing() {
        // given: single faulty samples at 10, 20 and 30: each spoils two consecutive windows, raiseAfter is 3
        start();
        double[][] samples = repeat(HEALTHY, 36);
        samples[10] = FAULTY;
        samples[20] = FAULTY;
        samples[30] = FAULTY;

        // when
        send("pump-1", batch(0, samples));
        driver.advanceWallClockTime(FLUSH);

        // then
        assertThat(scores.readValuesToList()).filteredOn(ScoreEvent::overThreshold).extracting(ScoreEvent::windowStart)
                .isEqualTo(List.of(ts(8), ts(10), ts(18), ts(20), ts(28), ts(30)));
        assertThat(alerts.readValuesToList()).isEqualTo(List.of());
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        // given
        start();
        double[][] samples = ramp(4);
        byte[] garbage = "{\"ts\": 17, \"samples\": [[1, 2".getBytes(StandardCharsets.UTF_8);

        // when: a good record, a broken one, a wrong-shaped one, and the rest of the good samples
        send("pump-1", batch(0, Arrays.copyOfRange(samples, 0, 2)));
        readings.pipeInput("pump-1", garbage, ts(2));
        send("pump-1", batch(2, new double[][] {{1, 2}}));
        send("pump-1", batch(2, Arrays.copyOfRange(samples, 2, 4)));
        driver.advanceWallClockTime(FLUSH);

        // then
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(TestRecord::key).isEqualTo(List.of("pump-1", "pump-1"));
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(reason(dead.get(0))).startsWith("not-a-sample-batch: ");
        assertThat(reason(dead.get(1))).isEqualTo("wrong-feature-count: sample 0 has 2 values, expected 3");
        assertThat(new String(dead.get(0).headers().lastHeader(DetectorTopology.SOURCE_TOPIC_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("vigil.readings.vibration");
        assertThat(scores.readValuesToList()).isEqualTo(List.of(expectedScore("pump-1", samples, 0)));
        assertThat(registry.get(DetectorMetrics.RECORDS_DEAD_LETTERED)
                .tag(DetectorMetrics.TAG_REASON, "not-a-sample-batch").counter().count()).isEqualTo(1);
    }

    @Test
    void theWindowStoreHoldsEachDevicesRing() {
        // given
        start();

        // when: 5 samples, no flush yet
        send("pump-1", batch(0, ramp(5)));

        // then: a full ring of 4 ending at sample 4, and one window waiting to be scored
        KeyValueStore<String, byte[]> windows = driver.getKeyValueStore(NAMES.windowStore());
        Windower ring = Windower.fromBytes(Windower.Shape.of(Fixtures.vibration()), windows.get("pump-1"));
        assertThat(ring.filled()).isEqualTo(4);
        assertThat(ring.lastTimestamp()).isEqualTo(ts(4));
        KeyValueStore<String, byte[]> pending = driver.getKeyValueStore(NAMES.pendingStore());
        PendingWindow waiting = PendingWindow.fromBytes(pending.get(pendingKey("pump-1", 0)));
        assertThat(waiting.deviceId()).isEqualTo("pump-1");
        assertThat(waiting.window().endMs()).isEqualTo(ts(3));
        assertThat(pending.approximateNumEntries()).isEqualTo(1);
        assertThat(scores.isEmpty()).isTrue();
    }

    @Test
    void aFixedThresholdInTheTopologyWinsOverTheModels() {
        // given
        start(Fixtures.vibration(0.25), 256);

        // when
        send("pump-1", batch(0, repeat(HEALTHY, 4)));
        driver.advanceWallClockTime(FLUSH);

        // then
        assertThat(scores.readValuesToList()).extracting(ScoreEvent::threshold).isEqualTo(List.of(0.25));
    }

    @Test
    void pendingWindowsAreInTheChangelogUntilTheirScoresArePublished() {
        // given: TopologyTestDriver wipes its state directory on close, so a restart is checked in two
        // halves: here, that each cut window reaches the pending store's changelog (what a restarted
        // task restores) and is deleted in the commit that publishes its score; in
        // WindowingProcessorTest, that a new processor scores what it finds in the restored store
        start();
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(
                DetectorTopology.changelogTopic(APP_ID, NAMES.pendingStore()), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        double[][] samples = ramp(6);

        // when: two windows are cut and committed without a flush
        send("pump-1", batch(0, samples));

        // then
        List<String> keys = List.of(pendingKey("pump-1", 0), pendingKey("pump-1", 2));
        List<TestRecord<String, byte[]>> cut = changelog.readRecordsToList();
        assertThat(cut).extracting(TestRecord::key).isEqualTo(keys);
        assertThat(cut).extracting(r -> PendingWindow.fromBytes(r.value()).window().startMs())
                .isEqualTo(List.of(ts(0), ts(2)));
        assertThat(scores.isEmpty()).isTrue();

        // when: the flush publishes their scores
        driver.advanceWallClockTime(FLUSH);

        // then: the same commit deletes them
        assertThat(scores.getQueueSize()).isEqualTo(2);
        assertThat(changelog.readKeyValuesToList()).isEqualTo(List.of(
                KeyValue.pair(keys.get(0), null), KeyValue.pair(keys.get(1), null)));
    }

    @Test
    void kindsShareTheAlertAndDeadLetterTopicsButNotTheirReadings() {
        // given: a second kind with its own readings and scores topics
        var vibration = Fixtures.vibration();
        var pressure = new SensorKind("pressure", vibration.features(), 100, 4, 2,
                vibration.preprocess(), vibration.payload(), vibration.csv(), Path.of("models/pressure"),
                vibration.alert(), "vigil/pressure/+", new KafkaTopics(
                        "vigil.readings.pressure", "vigil.scores.pressure", "vigil.alerts", "vigil.deadletter"));
        var sameReadings = new SensorKind("copy", vibration.features(), 100, 4, 2,
                vibration.preprocess(), vibration.payload(), vibration.csv(), Path.of("models/copy"),
                vibration.alert(), "vigil/copy/+", vibration.kafka());
        var settings = new DetectorSettings(256, FLUSH, registry);

        // when / then
        assertThat(DetectorTopology.buildTopology(List.of(vibration, pressure), k -> new MeanAbsScorer(1), settings)
                .describe().subtopologies()).hasSize(2);
        assertThatThrownBy(() -> DetectorTopology.buildTopology(
                        List.of(vibration, sameReadings), k -> new MeanAbsScorer(1), settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("topology 'copy': field 'kafka.readings': expected a topic no other kind reads,"
                        + " got 'vigil.readings.vibration'");
    }

    @Test
    void theConfigIsExactlyOnce() {
        // when
        Properties props = DetectorTopology.streamsConfig("broker:9092", APP_ID, stateDir, 2);

        // then
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
    }

    private void start() {
        start(Fixtures.vibration(), 256);
    }

    private void start(SensorKind kind, int batchSize) {
        var topology = DetectorTopology.buildTopology(List.of(kind), k -> new MeanAbsScorer(Fixtures.THRESHOLD),
                new DetectorSettings(batchSize, FLUSH, registry));
        Properties props = DetectorTopology.streamsConfig("unused:9092", APP_ID, stateDir, 1);
        driver = new TopologyTestDriver(topology, props, WALL_CLOCK);
        readings = driver.createInputTopic(kind.kafka().readings(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        scores = driver.createOutputTopic(kind.kafka().scores(), Serdes.String().deserializer(),
                ScoreEvent.serde().deserializer());
        alerts = driver.createOutputTopic(kind.kafka().alerts(), Serdes.String().deserializer(),
                AlertEvent.serde().deserializer());
        deadLetters = driver.createOutputTopic(kind.kafka().deadLetter(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    private void send(String device, SampleBatch batch) {
        readings.pipeInput(device, new SampleBatchSerde().serializer().serialize("readings", batch), batch.ts());
    }

    private static String pendingKey(String device, int startSample) {
        return new PendingWindow(device, new Window(ts(startSample), ts(startSample + 3), new float[0][0])).key();
    }

    private KeyValueStore<String, AlertState> alertStore() {
        return driver.getKeyValueStore(NAMES.alertStore());
    }

    /** Squared error of one feature summed over windows, in the order the alert state adds it. */
    private static double errorSum(double share, double... scores) {
        double sum = 0;
        for (double score : scores) {
            sum += share * score;
        }
        return sum;
    }

    private static String reason(TestRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(DetectorTopology.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
