package io.vigil.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTransformerTest {

    static final double NAN = Double.NaN;

    static SensorKind sensorKind(Path dir, String sources) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                kind: t
                features: [level, log, growth, logGrowth]
                sampleRateHz: 0.0000115740740741
                window: 2
                hop: 1
                sources:
                """ + sources);
        return SensorKindLoader.load(file);
    }

    static final String SOURCES = """
              level:     {column: smart_194_raw, transform: raw}
              log:       {column: smart_5_raw, transform: log1p}
              growth:    {column: smart_5_raw, transform: delta}
              logGrowth: {column: smart_5_raw, transform: log1p_of_delta}
            """;

    @Test
    void columnsAreReadOncePerColumnInFirstUseOrder(@TempDir Path dir) throws Exception {
        assertThat(new FeatureTransformer(sensorKind(dir, SOURCES)).columns())
                .containsExactly("smart_194_raw", "smart_5_raw");
    }

    @Test
    void transformsAndEmptyCellPolicyOverADrivesDays(@TempDir Path dir) throws Exception {
        // given a drive whose smart_5 is not reported on day 1 and day 4 (columns: smart_194, smart_5)
        FeatureTransformer.Device drive = new FeatureTransformer(sensorKind(dir, SOURCES)).newDevice();
        double[][] days = {{30, NAN}, {31, 0}, {31, 8}, {NAN, NAN}, {29, 1008}, {29, 1000}};

        // when
        List<double[]> out = new ArrayList<>();
        for (double[] day : days) {
            out.add(drive.apply(day));
        }

        // then: no reading until both columns were reported; empty cells carry the last value (delta 0);
        // deltas are against the previous reading; log1p is signed
        assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactly(
                null,
                new double[] {31, 0, 0, 0},
                new double[] {31, Math.log1p(8), 8, Math.log1p(8)},
                new double[] {31, Math.log1p(8), 0, 0},
                new double[] {29, Math.log1p(1008), 1000, Math.log1p(1000)},
                new double[] {29, Math.log1p(1000), -8, -Math.log1p(8)});
    }

    @Test
    void firstReadingHasZeroDeltaEvenAfterPartialDays(@TempDir Path dir) throws Exception {
        FeatureTransformer.Device drive = new FeatureTransformer(sensorKind(dir, SOURCES)).newDevice();
        assertThat(drive.apply(new double[] {NAN, 5})).isNull();
        assertThat(drive.apply(new double[] {40, 7})).containsExactly(40, Math.log1p(7), 0, 0);
    }

    @Test
    void growthIsMeasuredFromTheDrivesFirstReading(@TempDir Path dir) throws Exception {
        // given a drive that first reports both columns on its second day, with 50 sectors already
        FeatureTransformer.Device drive = new FeatureTransformer(sensorKind(dir, """
                  level:     {column: smart_194_raw}
                  log:       {column: smart_5_raw, transform: log1p}
                  growth:    {column: smart_5_raw, transform: growth}
                  logGrowth: {column: smart_5_raw, transform: log1p_of_growth}
                """)).newDevice();
        double[][] days = {{30, NAN}, {30, 50}, {30, 50}, {30, NAN}, {30, 58}, {30, 40}};

        // when
        List<double[]> out = new ArrayList<>();
        for (double[] day : days) {
            out.add(drive.apply(day));
        }

        // then: its first reading (50) is its baseline: unchanged days read 0 however high the counter,
        // an empty cell carries the last value, a drop below the baseline is negative (signed log1p)
        assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactly(
                null,
                new double[] {30, Math.log1p(50), 0, 0},
                new double[] {30, Math.log1p(50), 0, 0},
                new double[] {30, Math.log1p(50), 0, 0},
                new double[] {30, Math.log1p(58), 8, Math.log1p(8)},
                new double[] {30, Math.log1p(40), -10, -Math.log1p(10)});
    }

    @Test
    void smartTopologyDeclaresASourceForEveryFeature() {
        SensorKind smart = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "smart");
        assertThat(smart.sources().keySet()).containsExactlyElementsOf(smart.features());
        assertThat(new FeatureTransformer(smart).columns())
                .containsExactly("smart_5_raw", "smart_9_raw", "smart_197_raw");
        assertThat(Arrays.asList(SensorKind.Transform.values())).hasSize(6);
    }

    @Test
    void unknownTransformNamesFileFieldAndChoices(@TempDir Path dir) {
        assertThatThrownBy(() -> sensorKind(dir, """
                  level:     {column: smart_194_raw, transform: sqrt}
                  log:       {column: smart_5_raw}
                  growth:    {column: smart_5_raw}
                  logGrowth: {column: smart_5_raw}
                """)).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("t.yaml") + ": field 'sources.level.transform': expected one of raw, log1p, "
                        + "delta, log1p_of_delta, growth, log1p_of_growth, got 'sqrt'");
    }

    @Test
    void aFeatureWithoutSourceIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> sensorKind(dir, """
                  level:     {column: smart_194_raw}
                """)).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("t.yaml") + ": field 'sources.log': expected a mapping, but it is missing");
    }
}
