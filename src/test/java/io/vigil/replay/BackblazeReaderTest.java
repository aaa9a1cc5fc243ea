package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.vigil.config.ConfigException;
import io.vigil.replay.BackblazeReader.Progress;
import io.vigil.replay.BackblazeReader.Report;
import io.vigil.testkit.SharedData;
import io.vigil.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackblazeReaderTest {

    /** Two days of Backblaze's 2024 schema, 5 drives, model before serial and SMART pairs out of order. */
    private static final Path FIXTURE_2024 = Path.of("src/test/resources/backblaze-2024");
    private static final List<String> COLUMNS = List.of("smart_5_raw", "smart_187_raw", "smart_9_raw", "smart_194_raw");
    /** The SMART attributes of the 2013 schema (README of the data folder). */
    private static final int[] SMART_2013 = {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15, 183, 184, 187, 188, 189, 190,
            191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 223, 225, 240, 241, 242, 250, 251, 252, 254, 255};
    private static final double NAN = Double.NaN;
    private static final LocalDate JAN_1 = LocalDate.parse("2024-01-01");
    private static final LocalDate JAN_2 = LocalDate.parse("2024-01-02");

    /** NaN means "not reported" here, so a NaN is equal to a NaN. */
    private static final RecursiveComparisonConfiguration NAN_EQUALS = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(Double::compare, Double.class)
            .withComparatorForType(Float::compare, Float.class)
            .build();

    @TempDir
    Path tmp;

    @Test
    void schema2024IsReadByHeaderName() {
        List<DriveDay> rows = new ArrayList<>();

        Report report = new BackblazeReader(COLUMNS).forEachRow(FIXTURE_2024, rows::add);

        assertThat(rows).usingRecursiveFieldByFieldElementComparator(NAN_EQUALS).containsExactlyElementsOf(expected2024());
        assertThat(report).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new Report(2, 10, 0, 0, List.of()));
    }

    @Test
    void zipOfTheDailyFilesReadsIdentically() throws IOException {
        Path zip = tmp.resolve("data_Q1_2024.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            add(out, "data_Q1_2024/2024-01-02.csv", FIXTURE_2024.resolve("2024-01-02.csv")); // out of date order
            add(out, "data_Q1_2024/2024-01-01.csv", FIXTURE_2024.resolve("2024-01-01.csv"));
            add(out, "__MACOSX/data_Q1_2024/._2024-01-01.csv", FIXTURE_2024.resolve("2024-01-01.csv"));
            add(out, "data_Q1_2024/notes.txt", FIXTURE_2024.resolve("2024-01-01.csv"));
        }
        List<DriveDay> rows = new ArrayList<>();

        Report report = new BackblazeReader(COLUMNS).forEachRow(zip, rows::add);

        assertThat(rows).usingRecursiveFieldByFieldElementComparator(NAN_EQUALS).containsExactlyElementsOf(expected2024());
        assertThat(report).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new Report(2, 10, 0, 0, List.of()));
    }

    @Test
    void brokenRowsAreReportedWithFileAndLineAndSkipped() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("broken"));
        Files.copy(FIXTURE_2024.resolve("2024-01-01.csv"), dir.resolve("2024-01-01.csv"));
        Path day2 = Files.copy(FIXTURE_2024.resolve("2024-01-02.csv"), dir.resolve("2024-01-02.csv"));
        Files.writeString(day2, Files.readString(day2)
                + "2024-01-02,ST12000NM0008,ZJVCUT,12000138625024,0,sac0\r\n"
                + "2024-01-02,ST12000NM0008,ZJVBAD,12000138625024,0,sac0,0,1034,6,5,0,87,lots,,,,,,,,,,,,,,,,\r\n"
                + "2024-01-02,ST12000NM0008,ZJVYES,12000138625024,yes,sac0,0,1034,6,5,0,87,1,,,,,,,,,,,,,,,,\r\n");
        List<DriveDay> rows = new ArrayList<>();

        Report report = new BackblazeReader(COLUMNS).forEachRow(dir, rows::add);

        assertThat(rows).usingRecursiveFieldByFieldElementComparator(NAN_EQUALS).containsExactlyElementsOf(expected2024());
        assertThat(report).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new Report(2, 10, 3, 0, List.of(
                day2 + ":7: expected 29 cells as in the header, got 6; row skipped",
                day2 + ":8: smart_9_raw: expected a number or an empty cell, got 'lots'; row skipped",
                day2 + ":9: failure: expected 0 or 1, got 'yes'; row skipped")));
    }

    @Test
    void daysProgressAndAbsentColumnsAreReported() {
        List<Object> seen = new ArrayList<>();
        List<Progress> progress = new ArrayList<>();
        BackblazeReader reader = new BackblazeReader(List.of("smart_5_raw", "smart_242_raw"), progress::add);

        Report report = reader.forEachDay(FIXTURE_2024, (date, drives) -> seen.add(tuple(date, drives.size())));

        assertThat(seen).containsExactly(tuple(JAN_1, 5), tuple(JAN_2, 5));
        assertThat(progress).containsExactly(new Progress(1, 2, 5, 0, 0), new Progress(2, 2, 10, 0, 0));
        assertThat(report).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new Report(2, 10, 0, 0, List.of(
                FIXTURE_2024.resolve("2024-01-01.csv") + ": column 'smart_242_raw' absent; read as not reported (NaN)",
                FIXTURE_2024.resolve("2024-01-02.csv") + ": column 'smart_242_raw' absent; read as not reported (NaN)")));
    }

    @Test
    void historiesHoldEachDrivesDaysValuesAndFailureDate() {
        Map<String, DriveHistory> drives = BackblazeReader.readHistories(FIXTURE_2024, COLUMNS);

        assertThat(drives).containsOnlyKeys("ZJV0XJQ4", "ZJV2EHF5", "8HJ4N1EH", "X0GAA0BYF94G", "2PG0ABCD");
        int[] days = {(int) JAN_1.toEpochDay(), (int) JAN_2.toEpochDay()};
        assertThat(drives.get("ZJV2EHF5")).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new DriveHistory("ZJV2EHF5",
                "ST12000NM0008", 12000138625024L, days, new float[] {8, 2, 10843, 30, 8, 2, 10867, 30}, 4, JAN_2));
        assertThat(drives.get("8HJ4N1EH")).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new DriveHistory("8HJ4N1EH",
                "HGST HUH721212ALE604", 12000138625024L, days,
                new float[] {0, Float.NaN, 29712, Float.NaN, 0, Float.NaN, 29736, Float.NaN}, 4, null));
        assertThat(drives.get("ZJV2EHF5").toDeviceSeries(1).labels()).containsExactly(0, 1);
    }

    @Test
    void aFileWithoutIdentityColumnsOrEmptyIsSkippedAndEachProblemIsToldAsMet() throws IOException {
        // given three days: the first without a serial_number column, the second empty, the third good
        Path dir = Files.createDirectory(tmp.resolve("skips"));
        Path day1 = dir.resolve("2023-12-31.csv");
        Files.writeString(day1, Files.readString(FIXTURE_2024.resolve("2024-01-01.csv"))
                .replace("serial_number", "serial").replace("2024-01-01", "2023-12-31"));
        Path day2 = Files.writeString(dir.resolve("2024-01-01.csv"), "");
        Path day3 = Files.copy(FIXTURE_2024.resolve("2024-01-02.csv"), dir.resolve("2024-01-02.csv"));
        Files.writeString(day3, Files.readString(day3) + "2024-01-02,ST12000NM0008,ZJVCUT,12000138625024,0,sac0\r\n");
        List<String> told = new ArrayList<>();
        List<Object> events = new ArrayList<>();
        BackblazeReader reader = new BackblazeReader(COLUMNS, events::add, told::add);

        // when read day by day
        Report report = reader.forEachDay(dir, (date, drives) -> events.add(tuple(date, drives.size())));

        // then the good day is read, the others skipped, and each problem was told before the read went on
        List<String> problems = List.of(
                day1 + ": column 'serial_number' missing; expected a Backblaze Drive Stats header with "
                        + BackblazeReader.IDENTITY + "; file skipped",
                day2 + ": empty file; expected a Drive Stats header; file skipped",
                day3 + ":7: expected 29 cells as in the header, got 6; row skipped");
        assertThat(told).isEqualTo(problems);
        assertThat(events).containsExactly(new Progress(1, 3, 0, 0, 1), new Progress(2, 3, 0, 0, 2),
                tuple(JAN_2, 5), new Progress(3, 3, 5, 1, 2));
        assertThat(report).isEqualTo(new Report(3, 5, 1, 2, problems));
    }

    @Test
    void aSourceWhoseEveryFileIsSkippedIsAConfigErrorNamingTheFirst() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("unreadable"));
        Path only = Files.writeString(dir.resolve("2024-01-01.csv"), "");
        Files.writeString(dir.resolve("2024-01-02.csv"), "date,serial_number\n");

        assertThatThrownBy(() -> new BackblazeReader(COLUMNS).forEachRow(dir, row -> { }))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": none of the 2 daily files has a Drive Stats header; the first: " + only
                        + ": empty file; expected a Drive Stats header");
        Files.delete(dir.resolve("2024-01-02.csv"));
        assertThatThrownBy(() -> new BackblazeReader(COLUMNS).forEachRow(dir, row -> { }))
                .isInstanceOf(ConfigException.class)
                .hasMessage(only + ": empty file; expected a Drive Stats header");
    }

    @Test
    void unknownColumnNamesAndFoldersWithoutDaysAreConfigErrors() {
        assertThatThrownBy(() -> new BackblazeReader(List.of("smart5_raw")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Backblaze column 'smart5_raw': expected a SMART column such as smart_5_raw or"
                        + " smart_194_normalized");
        assertThatThrownBy(() -> new BackblazeReader(COLUMNS).forEachRow(tmp, row -> { }))
                .isInstanceOf(ConfigException.class)
                .hasMessage(tmp + ": no Backblaze daily files; expected YYYY-MM-DD.csv files");
    }

    @Test
    void schema2013HeaderOf85ColumnsMapsEveryCellAndCrlfNeverReachesTheLastColumn() {
        Path dir = SharedData.folder("backblaze-2013");
        List<String> all = Arrays.stream(SMART_2013).boxed()
                .flatMap(n -> java.util.stream.Stream.of("smart_" + n + "_normalized", "smart_" + n + "_raw")).toList();
        List<DriveDay> rows = new ArrayList<>();

        Report report = new BackblazeReader(all).forEachDay(dir, (date, drives) -> {
            if (rows.isEmpty()) {
                rows.addAll(drives);
            }
        });

        // 2013-04-10.csv line 2: only raw 1, 5, 9, 194, 197 are filled; the last column, smart_255_raw, is empty
        assertThat(BackblazeReader.IDENTITY.size() + all.size()).isEqualTo(85);
        double[] expected = new double[80];
        Arrays.fill(expected, NAN);
        expected[all.indexOf("smart_1_raw")] = 0;
        expected[all.indexOf("smart_5_raw")] = 0;
        expected[all.indexOf("smart_9_raw")] = 4031;
        expected[all.indexOf("smart_194_raw")] = 26;
        expected[all.indexOf("smart_197_raw")] = 0;
        assertThat(rows.get(0)).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new DriveDay(LocalDate.parse("2013-04-10"),
                "MJ0351YNG9Z0XA", "Hitachi HDS5C3030ALA630", 3000592982016L, false, expected));
        assertThat(report.badRows()).isZero();
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void oneDaysRowCountEqualsItsLinesLessTheHeader() throws IOException {
        Path dir = SharedData.folder("backblaze-2013");
        long lines = Files.readAllLines(dir.resolve("2013-04-25.csv")).size();
        long[] rows = {0};

        new BackblazeReader(COLUMNS).forEachDay(dir, (date, drives) -> {
            if (date.equals(LocalDate.parse("2013-04-25"))) {
                rows[0] = drives.size();
            }
        });

        assertThat(rows[0]).isEqualTo(lines - 1);
    }

    @Test
    void fortyDaysHold435465RowsAnd60FailuresOnEachFailedDrivesLastDay() {
        Path dir = SharedData.folder("backblaze-2013");
        long start = System.nanoTime();

        BackblazeReader.Histories histories = new BackblazeReader(List.of("smart_5_raw", "smart_9_raw",
                "smart_187_raw", "smart_194_raw", "smart_197_raw")).readHistories(dir);

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Backblaze 2013: %d rows in %.2f s = %.0f rows/s%n", histories.report().rows(), seconds,
                histories.report().rows() / seconds);
        assertThat(histories.report()).usingRecursiveComparison(NAN_EQUALS).isEqualTo(new Report(40, 435_465, 0, 0, List.of()));
        List<DriveHistory> failed = histories.drives().values().stream().filter(DriveHistory::failed).toList();
        assertThat(failed).hasSize(60);
        assertThat(failed).allSatisfy(d -> assertThat(d.date(d.days() - 1)).isEqualTo(d.failureDate()));
        assertThat(histories.drives().values().stream().mapToInt(DriveHistory::days).sum()).isEqualTo(435_465);
    }

    private static List<DriveDay> expected2024() {
        List<DriveDay> rows = new ArrayList<>();
        for (int day = 0; day < 2; day++) {
            LocalDate date = JAN_1.plusDays(day);
            int hours = 24 * day;
            rows.addAll(List.of(
                    new DriveDay(date, "ZJV0XJQ4", "ST12000NM0008", 12000138625024L, false,
                            new double[] {0, 0, 11512 + hours, 32}),
                    new DriveDay(date, "ZJV2EHF5", "ST12000NM0008", 12000138625024L, day == 1,
                            new double[] {8, 2, 10843 + hours, 30}),
                    new DriveDay(date, "8HJ4N1EH", "HGST HUH721212ALE604", 12000138625024L, false,
                            new double[] {0, NAN, 29712 + hours, NAN}),
                    new DriveDay(date, "X0GAA0BYF94G", "TOSHIBA MG07ACA14TA", 14000519643136L, false,
                            new double[] {0, NAN, 11301 + hours, 25}),
                    new DriveDay(date, "2PG0ABCD", "WDC WUH721816ALE6L4", 16000900661248L, false,
                            new double[] {0, NAN, 1710 + hours, 37})));
        }
        return rows;
    }

    private static void add(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        try (var in = Files.newInputStream(file)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
    }
}
