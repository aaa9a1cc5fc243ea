package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.cli.Vigil;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.ingest.Bridge;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.ingest.Topics;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.stream.DetectorSettings;
import io.vigil.stream.DetectorTopology;
import io.vigil.stream.ScoreEvent;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.SharedData;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real Backblaze days through the whole path, as the commands run it: {@code vigil replay backblaze
 * --to mqtt} → mosquitto → bridge → Kafka → the production detector (Kafka Streams on
 * {@link DetectorTopology#buildTopology}, exactly-once) with a SMART model trained here on the same
 * days. Every drive-day row of the files must be exactly one record on the readings topic, and every
 * drive with at least a window of readings must get exactly one score per reading from its fifth on
 * (window 5, hop 1), keyed by its serial. The whole fleet, about 64,000 rows over six days: expectations come from
 * the files, read independently of the replay.
 */
@ExtendWith(RealBrokers.class)
class ReplayIT {

    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");
    /** Window 5, hop 1: six days give each drive seen every day two windows. */
    static final int DAYS = 6;
    static final Duration DELIVERY = Duration.ofSeconds(180);

    @Test
    void sixRealDaysOverMqttArriveOneRecordPerRowAndScoreEveryDriveOncePerReadingFromItsFifth(@TempDir Path tmp,
            @Kafka EmbeddedKafka kafka, @Mosquitto MosquittoProcess mosquitto)
            throws Exception {
        // given six real days, what their files hold per drive, and a SMART model trained on their healthy drives
        Path days = copyDays(tmp, DAYS);
        Map<String, TreeSet<Long>> rows = new TreeMap<>();
        long rowCount = new BackblazeReader(SmartReadings.readerColumns(SMART, List.of())).forEachRow(days, row -> rows.computeIfAbsent(row.serial(), s -> new TreeSet<>())
                        .add(row.date().toEpochDay() * SmartReadings.DAY_MS)).rows();
        ModelBundle bundle = new Trainer(SMART, Trainer.Settings.defaults(SMART).withEpochs(1)
                .withMaxTrainWindows(2000).withSplitByDevice(true), Trainer.Progress.NONE)
                .train(SmartReadings.neverFailed(days, SMART), List.of(days.toString()));
        assertThat(SMART.window()).isEqualTo(5);
        assertThat(SMART.hop()).isEqualTo(1);

        SimpleMeterRegistry bridgeMeters = new SimpleMeterRegistry();
        try (Bridge bridge = Bridge.builder().broker(mosquitto.uri()).bootstrapServers(kafka.bootstrapServers())
                     .kinds(List.of(SMART)).clientId("replay-it").metrics(bridgeMeters).start()) {
            // and the production detector on the same Kafka
            Topics.ensureAll(kafka.bootstrapServers(), List.of(SMART));
            try (KafkaStreams detector = new KafkaStreams(
                    DetectorTopology.buildTopology(List.of(SMART), kind -> bundle.scorer(),
                            DetectorSettings.defaults(new SimpleMeterRegistry())),
                    DetectorTopology.streamsConfig(kafka.bootstrapServers(), "replay-it", tmp.resolve("state"), 1))) {
                detector.start();
                await().atMost(Duration.ofSeconds(60)).failFast("detector failed", () -> detector.state()
                        == KafkaStreams.State.ERROR).until(() -> detector.state() == KafkaStreams.State.RUNNING);

                // when the days are replayed over MQTT by the command, as fast as possible
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cli = Vigil.commandLine();
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(err, true));
                int code = cli.execute("replay", "backblaze", "--dir", days.toString(), "--to", "mqtt",
                        "--broker", mosquitto.uri(), "--metrics-port", "0");

                System.out.println("ReplayIT: replay command: " + out.toString().strip() + "\n" + err.toString().strip());

                // then it published one reading per row and said so; stderr holds only its progress bar
                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).contains(String.format(Locale.ROOT,
                        "replay: done, %d days, %,d rows -> %,d readings", DAYS, rowCount, rowCount));
                List<String> progress = err.toString().lines().toList();
                assertThat(progress).allMatch(line -> line.matches("\\[#*\\.*] \\d/" + DAYS + " days  [\\d,]+ rows  [\\d,]+ rows/s"));
                assertThat(progress.get(progress.size() - 1)).startsWith(String.format(Locale.ROOT,
                        "[####################] %d/%d days  %,d rows  ", DAYS, DAYS, rowCount));

                // and every row is exactly one Kafka record: the same (serial, day) pairs, none twice
                List<ConsumerRecord<String, byte[]>> readings = TopicReader.readUntil(kafka.bootstrapServers(),
                        SMART.kafka().readings(), r -> true, read -> read.size() >= rowCount, DELIVERY);
                Map<String, TreeSet<Long>> arrived = new TreeMap<>();
                readings.forEach(r -> arrived.computeIfAbsent(r.key(), s -> new TreeSet<>()).add(r.timestamp()));
                assertThat(readings).as("records on the readings topic; the bridge forwarded %.0f",
                        bridgeMeters.find(BridgeMetrics.READINGS).counters().stream().mapToDouble(c -> c.count()).sum())
                        .hasSize((int) rowCount);
                assertThat(arrived).isEqualTo(rows);

                // and every drive with a full window is scored once per reading from its fifth on
                Map<String, List<Long>> expectedEnds = new TreeMap<>();
                rows.forEach((serial, ts) -> {
                    if (ts.size() >= SMART.window()) {
                        expectedEnds.put(serial, new ArrayList<>(ts).subList(SMART.window() - 1, ts.size()));
                    }
                });
                assertThat(expectedEnds).as("drives with a full window").hasSizeGreaterThan(10_000);
                long expectedTotal = expectedEnds.values().stream().mapToLong(List::size).sum();
                Map<String, List<Long>> ends = new TreeMap<>();
                List<String> wrong = new ArrayList<>();
                readScores(kafka, expectedTotal, detector, (key, event, timestamp) -> {
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
                assertThat(ends).as("window ends: each drive's readings from its fifth on, in order")
                        .isEqualTo(expectedEnds);
            }
        }
    }

    /** The first {@code count} daily files of the 2013 data, copied to {@code tmp/days}. */
    static Path copyDays(Path tmp, int count) throws Exception {
        Path days = Files.createDirectories(tmp.resolve("days"));
        try (var files = Files.list(SharedData.folder("backblaze-2013"))) {
            for (Path f : files.sorted().limit(count).toList()) {
                Files.copy(f, days.resolve(f.getFileName()));
            }
        }
        return days;
    }

    private interface ScoreVisitor {
        void accept(String key, ScoreEvent event, long timestamp);
    }

    /** Reads committed score events until {@code total} have come, then one more poll for any extra. */
    private static void readScores(EmbeddedKafka kafka, long total, KafkaStreams detector, ScoreVisitor each) {
        var serde = ScoreEvent.serde().deserializer();
        long[] count = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replay-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(SMART.kafka().scores()));
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> visit = r -> {
                count[0]++;
                each.accept(r.key(), serde.deserialize(r.topic(), r.value()), r.timestamp());
            };
            await().atMost(DELIVERY).failFast("detector stopped", () -> !detector.state().isRunningOrRebalancing())
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(visit);
                assertThat(count[0]).as("score events so far").isGreaterThanOrEqualTo(total);
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(visit);
        }
    }
}
