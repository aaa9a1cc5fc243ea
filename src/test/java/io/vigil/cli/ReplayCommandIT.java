package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.ingest.Topics;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.replay.BackblazeReader;
import io.vigil.replay.SmartReadings;
import io.vigil.testkit.CliRun;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.SharedData;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay} run as a user runs it, into a real Kafka: recorded sensor files ({@code replay
 * csv}, generic CSV and ADXL356) and Backblaze days ({@code replay backblaze --to kafka}). Each test
 * reads back every record of its readings topic and compares it whole: key, timestamp, samples.
 */
@ExtendWith(RealBrokers.class)
class ReplayCommandIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final SensorKind ADXL356 = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "adxl356");
    static final SensorKind SMART = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");
    static final long START_MS = 1_700_000_000_000L;
    static final Duration DELIVERY = Duration.ofSeconds(120);

    @Kafka
    static EmbeddedKafka kafka;

    @BeforeAll
    static void createTopics() {
        Topics.ensureAll(kafka.bootstrapServers(), List.of(VIBRATION, ADXL356, SMART));
    }

    /** A record as compared: key, timestamp and the decoded sample batch. */
    record Reading(String key, long timestamp, SampleBatch batch) {
        @Override
        public String toString() {
            return key + "@" + timestamp + " " + batch.ts() + "/" + batch.periodMs() + " "
                    + Arrays.deepToString(batch.samples());
        }
    }

    @Test
    void genericCsvIsReplayedInBatchesPerDeviceShiftedToTheStartTimeWithItsBadRowReported(@TempDir Path tmp)
            throws Exception {
        // given two pumps at 100 Hz, a bad cell on line 5
        Path file = Files.writeString(tmp.resolve("pumps.csv"), """
                ts,device,x,y,z,label
                1000,pump-1,0.1,0.2,0.3,0
                1010,pump-2,1.1,1.2,1.3,0
                1010,pump-1,0.4,0.5,0.6,0
                1020,pump-1,oops,0.5,0.6,0
                1020,pump-2,1.4,1.5,1.6,1
                1030,pump-1,0.7,0.8,0.9,0
                """);

        // when replayed to Kafka two samples per reading, starting at START_MS
        CliRun run = CliRun.of("replay", "csv", "--file", file.toString(), "--topology", "vibration", "--to", "kafka",
                "--bootstrap", kafka.bootstrapServers(), "--batch", "2", "--start-ms", "" + START_MS,
                "--metrics-port", "0");

        // then each device's samples go in time order, devices interleaved by time, every time shifted by START_MS - 1000
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(read(VIBRATION, 3)).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new Reading("pump-1", START_MS, batch(START_MS, 10, new double[][] {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}})),
                new Reading("pump-2", START_MS + 10, batch(START_MS + 10, 10, new double[][] {{1.1, 1.2, 1.3}, {1.4, 1.5, 1.6}})),
                new Reading("pump-1", START_MS + 30, batch(START_MS + 30, 10, new double[][] {{0.7, 0.8, 0.9}})));
        // and the bad row was reported with file and line, then the final progress bar and summary
        List<String> err = run.err().lines().toList();
        assertThat(err).hasSize(2);
        assertThat(err.get(0)).isEqualTo(file + ":5: column 'x': expected a finite number, got 'oops'; row skipped");
        assertThat(err.get(1)).matches("\\[#{20}] 5/5 samples  3 readings  [\\d,]+ samples/s");
        assertThat(run.out()).matches("replay: done, 5 samples in 3 readings -> Kafka vigil.readings.vibration in "
                + "\\d+\\.\\d s; 1 rows skipped\n");
    }

    @Test
    void adxl356RecordingIsReplayedOneSamplePerMillisecondAroundItsMean(@TempDir Path tmp) throws Exception {
        // given the first 1,000 rows (50 ms at 20 kHz) of a healthy ADXL356 recording
        String name = "1800_GoB_GS_BaLo_WA_00lb";
        List<String> lines = Files.readAllLines(SharedData.folder("vibration-adxl356").resolve(name + ".Wfm.csv"))
                .subList(0, 1000);
        Path file = Files.write(tmp.resolve(name + ".Wfm.csv"), lines);

        // when replayed to Kafka in readings of 100 samples
        CliRun run = CliRun.of("replay", "csv", "--file", file.toString(), "--topology", "adxl356", "--to", "kafka",
                "--bootstrap", kafka.bootstrapServers(), "--batch", "100", "--start-ms", "" + START_MS,
                "--metrics-port", "0");

        // then: ten readings keyed by the file's name, sample i at START_MS + i ms, volts less each axis's mean
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] volts = lines.stream().map(l -> Arrays.stream(l.split(";")).skip(1).limit(3)
                .mapToDouble(c -> Double.parseDouble(c.strip())).toArray()).toArray(double[][]::new);
        double[] mean = new double[3];
        for (int axis = 0; axis < 3; axis++) {
            for (double[] sample : volts) {
                mean[axis] += sample[axis];
            }
            mean[axis] /= volts.length;
        }
        List<Reading> expected = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            double[][] samples = new double[100][3];
            for (int i = 0; i < 100; i++) {
                for (int axis = 0; axis < 3; axis++) {
                    samples[i][axis] = volts[r * 100 + i][axis] - mean[axis];
                }
            }
            expected.add(new Reading(name, START_MS + r * 100, batch(START_MS + r * 100, 1, samples)));
        }
        assertThat(read(ADXL356, 10)).usingRecursiveFieldByFieldElementComparator(
                org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                        .withComparatorForType((a, b) -> Math.abs(a - b) < 1e-12 ? 0 : Double.compare(a, b), Double.class)
                        .build()).containsExactlyElementsOf(expected);
        assertThat(run.err().lines().toList()).singleElement().asString()
                .matches("\\[#{20}] 1,000/1,000 samples  10 readings  [\\d,]+ samples/s");
    }

    @Test
    void twoBackblazeDaysStraightToKafkaAreOneRecordPerRow(@TempDir Path tmp) throws Exception {
        // given two real days
        Path days = Files.createDirectories(tmp.resolve("days"));
        for (String day : List.of("2013-04-12.csv", "2013-04-13.csv")) {
            Files.copy(SharedData.folder("backblaze-2013").resolve(day), days.resolve(day));
        }
        Set<String> rows = new HashSet<>();
        new BackblazeReader(SmartReadings.readerColumns(SMART, List.of()))
                .forEachRow(days, row -> rows.add(row.serial() + "@" + row.date().toEpochDay() * SmartReadings.DAY_MS));

        // when replayed by the command to Kafka
        CliRun run = CliRun.of("replay", "backblaze", "--dir", days.toString(), "--to", "kafka",
                "--bootstrap", kafka.bootstrapServers(), "--metrics-port", "0");

        // then every row is one record, keyed by serial at its day, none twice
        assertThat(run.exit()).as(run.err()).isZero();
        List<ConsumerRecord<String, byte[]>> records = TopicReader.await(kafka.bootstrapServers(),
                SMART.kafka().readings(), r -> true, rows.size(), DELIVERY);
        assertThat(records).hasSize(rows.size());
        Set<String> arrived = new HashSet<>();
        records.forEach(r -> arrived.add(r.key() + "@" + r.timestamp()));
        assertThat(arrived).isEqualTo(rows);
        assertThat(run.out()).contains(String.format(Locale.ROOT, "replay: done, 2 days, %,d rows -> %,d readings",
                rows.size(), rows.size()));
    }

    private static SampleBatch batch(long ts, double periodMs, double[][] samples) {
        return new SampleBatch(ts, periodMs, samples);
    }

    /** Every record of the kind's readings topic, once {@code expected} have come (and any extra). */
    private static List<Reading> read(SensorKind kind, int expected) {
        var values = new SampleBatchSerde().deserializer();
        return TopicReader.await(kafka.bootstrapServers(), kind.kafka().readings(), r -> true, expected, DELIVERY)
                .stream().map(r -> new Reading(r.key(), r.timestamp(), values.deserialize(r.topic(), r.value())))
                .toList();
    }
}
