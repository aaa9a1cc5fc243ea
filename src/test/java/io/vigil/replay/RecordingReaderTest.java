package io.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.config.ConfigException;
import io.vigil.reading.DeviceSeries;
import io.vigil.testkit.SharedData;
import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingReaderTest {

    private static final SensorKind VIBRATION = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
    private static final SensorKind ADXL356 = SensorKindLoader.load(Path.of("topologies/adxl356.yaml"));

    @TempDir
    Path dir;

    @Test
    void genericCsvIsGroupedPerDeviceInTimeOrderAndBadRowsAreReported() throws IOException {
        // given: columns shuffled, an extra column, rows out of time order, one bad row at line 5
        Path file = write("pumps.csv", """
                label,x,device,ts,z,note,y
                0,1.0,pump-1,1000,3.0,a,2.0
                0,5.0,pump-2,1000,7.0,b,6.0
                1,1.2,pump-1,3000,3.2,c,2.2
                0,oops,pump-1,4000,3.3,d,2.3
                0,1.1,pump-1,2000,3.1,e,2.1\r
                0,1.0,pump-1
                """);

        // when
        Recording recording = RecordingReader.readRecording(file, VIBRATION);

        // then
        assertThat(recording.series()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new DeviceSeries("pump-1", new long[] {1000, 2000, 3000},
                        new double[][] {{1.0, 2.0, 3.0}, {1.1, 2.1, 3.1}, {1.2, 2.2, 3.2}}, new int[] {0, 0, 1}),
                new DeviceSeries("pump-2", new long[] {1000}, new double[][] {{5.0, 6.0, 7.0}}, new int[] {0}));
        assertThat(recording.problems()).containsExactly(
                file + ":5: column 'x': expected a finite number, got 'oops'; row skipped",
                file + ":7: expected 7 cells as in the header, got 3; row skipped");
    }

    @Test
    void withoutDeviceAndLabelColumnsTheFileNameIsTheDeviceAndLabelsAreAbsent() throws IOException {
        Path file = write("bearing-7.csv", """
                ts,x,y,z
                20,1,2,3
                10,4,5,NaN
                10,4,5,6
                10,7,8,9
                """);

        Recording recording = RecordingReader.readRecording(file, VIBRATION);

        assertThat(recording.series()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new DeviceSeries("bearing-7", new long[] {10, 20}, new double[][] {{4, 5, 6}, {1, 2, 3}}, null));
        assertThat(recording.problems()).containsExactly(
                file + ":3: column 'z': expected a finite number, got 'NaN'; row skipped",
                file + ":5: device 'bearing-7': time 10 repeats line 4; row skipped");
    }

    @Test
    void skabFilesAreReadAsTheyCome() throws IOException {
        // given: ';' separators, ISO-8601 times without zone (UTC), a feature name with spaces, labels as 0.0/1.0
        SensorKind skab = SensorKindLoader.load(Path.of("topologies/skab.yaml"));
        Path file = write("3.csv", """
                datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;\
                Volume Flow RateRMS;anomaly;changepoint
                2020-03-09 10:14:33;0.0265878;0.0401113;1.3302;0.054711;79.3366;26.0199;233.062;32.0;0.0;0.0
                2020-03-09T10:14:34;1;2;3;4;5;6;7;8;1.0;1.0
                2020-03-09 10:14:35+01:00;1;2;3;4;5;6;7;8;0.5;0.0
                """);

        // when
        Recording recording = RecordingReader.readRecording(file, skab);

        // then: 10:14:33 UTC is 1583748873000 ms; the +01:00 row is an hour earlier, and its label is not 0/1
        DeviceSeries run = recording.series().get(0);
        assertThat(run.device()).isEqualTo("3");
        assertThat(run.ts()).containsExactly(1583748873000L, 1583748874000L);
        assertThat(run.labels()).containsExactly(0, 1);
        assertThat(run.values()[1]).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(recording.problems()).containsExactly(file + ":4: column 'anomaly': expected 0 or 1, got '0.5'; row skipped");
    }

    @Test
    void nabSeriesTakeTheirLabelsFromTheWindowsInLabelsJson() throws IOException {
        // given: NAB's layout, labels.json one folder up keyed by <category>/<file>
        SensorKind nab = SensorKindLoader.load(Path.of("topologies/nab.yaml"));
        Files.writeString(dir.resolve("labels.json"), """
                {"realTraffic/speed_1.csv": [["2015-09-01 00:05:00.000000", "2015-09-01 00:10:00.000000"]],
                 "realTraffic/other.csv": []}
                """);
        Files.createDirectories(dir.resolve("realTraffic"));
        Path file = Files.writeString(dir.resolve("realTraffic/speed_1.csv"), """
                timestamp,value
                2015-09-01 00:00:00,80
                2015-09-01 00:05:00,20
                2015-09-01 00:10:00,25
                2015-09-01 00:15:00,79
                """);
        Path unmentioned = Files.writeString(dir.resolve("realTraffic/unmentioned.csv"), "timestamp,value\n"
                + "2015-09-01 00:00:00,1\n");

        // when
        DeviceSeries series = RecordingReader.read(file, nab).get(0);

        // then: rows inside the window (ends included) are anomalous
        assertThat(series.labels()).containsExactly(0, 1, 1, 0);
        assertThat(series.values()).isDeepEqualTo(new double[][] {{80}, {20}, {25}, {79}});
        assertThat(RecordingReader.read(unmentioned, nab).get(0).labelled()).isFalse();
    }

    @Test
    void aMissingFeatureColumnNamesFileColumnAndExpectation() throws IOException {
        Path file = write("short.csv", "ts,x,y\n1,2,3\n");

        assertThatThrownBy(() -> RecordingReader.read(file, VIBRATION))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": column 'z' missing; topology 'vibration' expects a header with 'ts' (epoch ms or ISO-8601)"
                        + " and [x, y, z], found [ts, x, y]");
    }

    @Test
    void adxl356HealthyFileHas40000SamplesAroundZeroOnAOneMillisecondClock() {
        Path file = SharedData.folder("vibration-adxl356").resolve("1800_GoB_GS_BaLo_WA_00lb.Wfm.csv");

        Recording recording = RecordingReader.readRecording(file, ADXL356);

        assertThat(recording.problems()).isEmpty();
        assertThat(recording.series()).hasSize(1);
        DeviceSeries series = recording.series().get(0);
        assertThat(series.device()).isEqualTo("1800_GoB_GS_BaLo_WA_00lb");
        assertThat(series.ts()).containsExactly(java.util.stream.LongStream.range(0, 40_000).toArray());
        assertThat(series.labels()).containsOnly(0).hasSize(40_000);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            double mean = Arrays.stream(series.values()).mapToDouble(v -> v[a]).average().orElseThrow();
            assertThat(mean).as("mean of axis %d", axis).isCloseTo(0.0, within(1e-9));
        }
        // first row x = 0.87951905 V minus the file's x bias, which is close to the stated offset 0.891 V
        assertThat(series.values()[0][0]).isCloseTo(0.87951905 - 0.891, within(0.01));
    }

    @Test
    void adxl356FolderIsLabelledByFileName() {
        Path folder = SharedData.folder("vibration-adxl356");

        Recording recording = RecordingReader.readAllRecordings(List.of(folder), ADXL356);

        // then: the folder holds 1800 rpm (4 conditions) and 1200 and 2400 rpm (13 conditions each), two loads
        // each; only the six GoB_GS_BaLo_WA recordings are healthy, and every file is read whole
        assertThat(recording.problems()).isEmpty();
        assertThat(recording.series()).hasSize(2 * (4 + 13 + 13)).allSatisfy(s -> assertThat(s.size()).isEqualTo(40_000));
        assertThat(recording.series()).filteredOn(s -> s.labels()[0] == 0).extracting(DeviceSeries::device)
                .containsExactly("1200_GoB_GS_BaLo_WA_00lb", "1200_GoB_GS_BaLo_WA_11lb", "1800_GoB_GS_BaLo_WA_00lb",
                        "1800_GoB_GS_BaLo_WA_11lb", "2400_GoB_GS_BaLo_WA_00lb", "2400_GoB_GS_BaLo_WA_11lb");
        assertThat(recording.series()).filteredOn(s -> s.device().startsWith("1800_"))
                .extracting(DeviceSeries::device, s -> s.labels()[0], DeviceSeries::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_BaLo_MA_00lb", 1, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_BaLo_MA_11lb", 1, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_BaLo_WA_00lb", 0, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_BaLo_WA_11lb", 0, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_VHIL_WA_00lb", 1, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_GoB_GS_VHIL_WA_11lb", 1, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_HIR_GS_BaLo_WA_00lb", 1, 40_000),
                        org.assertj.core.groups.Tuple.tuple("1800_HIR_GS_BaLo_WA_11lb", 1, 40_000));
    }

    @Test
    void adxl356BadRowIsReportedWithLineAndSkipped() throws IOException {
        Path file = write("rig.Wfm.csv", "0;0.9 ;1.0 ;1.1 ;0.9 ;1.0 ;1.1\r\n5e-005;1.1 ;x ;1.3 \r\n0.0001;1.1 ;1.2 ;1.3 \r\n");

        Recording recording = RecordingReader.readRecording(file, ADXL356);

        assertThat(recording.series()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new DeviceSeries("rig", new long[] {0, 2},
                        new double[][] {{-0.1, -0.1, -0.1}, {0.1, 0.1, 0.1}}, new int[] {1, 1}));
        assertThat(recording.problems()).containsExactly(
                file + ":2: y: expected a finite number, got 'x'; row skipped");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
