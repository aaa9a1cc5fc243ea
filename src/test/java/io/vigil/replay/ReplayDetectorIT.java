package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.demo.Pipeline;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.publish.ReadingSink;
import io.vigil.reading.DeviceSeries;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.stream.ScoreEvent;
import io.vigil.topology.SensorTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector half of the replay: a week of real Backblaze days, replayed into Kafka, through the
 * production detector (Kafka Streams on {@link DetectorTopology#buildTopology}, exactly-once) with a
 * SMART model trained here on the same week. Every drive with at least a window of readings gets
 * exactly one score per day from its fifth reading on (window 5, hop 1), keyed by its serial.
 *
 * <p>Own Kafka (not {@link ReplayIT}'s): the detector reads its readings topic from the start, and
 * the other tests' days there would change the windows.
 */
class ReplayDetectorIT {

    static final SensorTopology SMART = ReplayIT.SMART;
    static final int DAYS = 7;
    static final Duration DETECTED = Duration.ofSeconds(90);
    /** One drive in SAMPLE is replayed (by serial hash): ~700 drives, ~2,000 score events. */
    static final int SAMPLE = 16;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRealWeekReplayedThroughTheDetectorScoresEveryDriveOncePerDayFromItsFifthReading(@TempDir Path tmp)
            throws Exception {
        // given: a week of real days, and a SMART model trained on its healthy drives with a tiny budget
        Path days = ReplayIT.copyDays(tmp, 0, DAYS);
        ModelBundle bundle = new Trainer(SMART, Trainer.Settings.defaults(SMART).withEpochs(1)
                .withMaxTrainWindows(2000).withSplitByDevice(true), Trainer.Progress.NONE)
                .train(SmartReadings.neverFailed(days, SMART), List.of(days.toString()));
        assertThat(SMART.window()).isEqualTo(5);
        assertThat(SMART.hop()).isEqualTo(1);

        // and: every topic exists, then the production detector runs on them
        Pipeline.ensureTopics(kafka.bootstrapServers(), List.of(SMART));
        try (KafkaStreams detector = new KafkaStreams(
                DetectorTopology.buildTopology(List.of(SMART), kind -> bundle.scorer(),
                        DetectorSettings.defaults(new SimpleMeterRegistry())),
                DetectorTopology.streamsConfig(kafka.bootstrapServers(), "replay-detector-it", tmp.resolve("state"), 1))) {
            detector.start();
            await().atMost(Duration.ofSeconds(60)).failFast("detector failed", () -> detector.state()
                    == KafkaStreams.State.ERROR).until(() -> detector.state() == KafkaStreams.State.RUNNING);

            // when: the week is replayed into the readings topic for one drive in SAMPLE (the whole fleet
            // is ~32k score events, minutes on two loaded cores); the sink notes each reading it publishes
            Map<String, TreeSet<Long>> published = new HashMap<>();
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            try (ReadingSink sink = recording(new KafkaReadingSink(kafka.bootstrapServers(), SMART.kafka().readings(),
                    SMART.sampleRateHz(), "replay-detector-it"), published, sent)) {
                new BackblazeReplay(SMART).run(days, sink, 0, BackblazeReplay.Listener.NONE);
            }

            // then: expected windows per drive, from the very readings the replayer published
            assertThat(published).hasSizeGreaterThan(300);
            assertThat(published.values().stream().mapToLong(TreeSet::size).sum())
                    .as("one reading per published drive-day, no (serial, day) twice").isEqualTo(sent.get());
            Map<String, Long> expected = new HashMap<>();
            Map<String, List<Long>> expectedEnds = new HashMap<>();
            published.forEach((serial, ts) -> {
                if (ts.size() >= SMART.window()) {
                    expected.put(serial, (long) ts.size() - SMART.window() + 1);
                    expectedEnds.put(serial, new ArrayList<>(ts).subList(SMART.window() - 1, ts.size()));
                }
            });
            assertThat(expected).as("the slice must hold drives with a full window").hasSizeGreaterThan(300);
            long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();

            Map<String, Long> scores = new HashMap<>();
            Map<String, List<Long>> ends = new HashMap<>();
            List<String> wrong = new ArrayList<>();
            readScores(expectedTotal, detector, (key, event, timestamp) -> {
                scores.merge(key, 1L, Long::sum);
                ends.computeIfAbsent(key, k -> new ArrayList<>()).add(event.windowEnd());
                if (!key.equals(event.deviceId()) || !"smart".equals(event.kind())
                        || !bundle.metadata().version().equals(event.modelVersion())
                        || event.threshold() != bundle.metadata().threshold() || timestamp != event.windowEnd()
                        || !Double.isFinite(event.score())) {
                    wrong.add(key + ": " + event);
                }
            });
            assertThat(detector.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(wrong).as("score events not keyed by serial or without the model's version and threshold")
                    .isEmpty();
            assertThat(scores).isEqualTo(expected);
            assertThat(ends).as("window ends: each drive's readings from its fifth on, in order").isEqualTo(expectedEnds);
        }
    }

    /** A sink that notes each published reading's (serial, timestamp) before passing it on. */
    private static ReadingSink recording(ReadingSink sink, Map<String, TreeSet<Long>> published,
                                         java.util.concurrent.atomic.AtomicLong sent) {
        return new ReadingSink() {
            @Override
            public void send(DeviceSeries series, int from, int to) throws Exception {
                if (Math.floorMod(series.device().hashCode(), SAMPLE) != 0) {
                    return;
                }
                sent.addAndGet(to - from);
                for (int i = from; i < to; i++) {
                    published.computeIfAbsent(series.device(), s -> new TreeSet<>()).add(series.ts()[i]);
                }
                sink.send(series, from, to);
            }

            @Override
            public void finish() throws Exception {
                sink.finish();
            }

            @Override
            public void close() throws Exception {
                sink.close();
            }
        };
    }

    private interface ScoreVisitor {
        void accept(String key, ScoreEvent event, long timestamp);
    }

    /** Reads committed score events until {@code total} have come, then one more poll for any extra. */
    private static void readScores(long total, KafkaStreams detector, ScoreVisitor each) {
        var serde = ScoreEvent.serde().deserializer();
        long[] count = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replay-detector-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(SMART.kafka().scores()));
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> visit = r -> {
                count[0]++;
                each.accept(r.key(), serde.deserialize(r.topic(), r.value()), r.timestamp());
            };
            await().atMost(DETECTED).failFast("detector stopped", () -> !detector.state().isRunningOrRebalancing())
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(visit);
                assertThat(count[0]).as("score events so far").isGreaterThanOrEqualTo(total);
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(visit);
        }
    }
}
