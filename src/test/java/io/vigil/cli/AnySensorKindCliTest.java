package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.model.Backend;
import io.vigil.model.BundleMetadata;
import io.vigil.model.EngineTolerance;
import io.vigil.model.ModelBundle;
import io.vigil.model.ReconstructionError;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.replay.RecordingReader;
import io.vigil.testkit.CliRun;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sensor kind is a topology file, not code: a univariate and an eight-feature kind, each with its own
 * CSV column names, train and score through the real {@code vigil train} and {@code vigil score}.
 * On the CPU backend {@code score} runs the Java engine ({@code LstmInference}); its printed scores
 * must equal the ND4J graph's for the same bundle and windows.
 */
class AnySensorKindCliTest {

    /** Printed with six decimals: half a unit of 1e-6, on top of the engines' own difference. */
    static final double PRINTED = 0.5e-6;
    static final long START_MS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** A sensor kind: its topology file, CSV header layout and the devices each CSV holds. */
    record Kind(String name, String yaml, String timestampColumn, String deviceColumn, List<String> features,
                long periodMs, int window, int hop) {
        @Override
        public String toString() {
            return name + " (" + features.size() + " feature" + (features.size() == 1 ? "" : "s") + ")";
        }
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of(new Kind("celsius", """
                        kind: celsius
                        features: [temp_c]
                        sampleRateHz: 1
                        window: 16
                        hop: 4
                        csv: {timestamp: time_ms}
                        """, "time_ms", null, List.of("temp_c"), 1000, 16, 4)),
                Arguments.of(new Kind("pump", """
                        kind: pump
                        features: [p_in, p_out, flow, rpm, current, vib_x, vib_y, bearing_temp]
                        sampleRateHz: 10
                        window: 20
                        hop: 5
                        csv: {timestamp: t, device: unit}
                        """, "t", "unit",
                        List.of("p_in", "p_out", "flow", "rpm", "current", "vib_x", "vib_y", "bearing_temp"),
                        100, 20, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void trainsAndScoresThroughTheCli(Kind kind) throws IOException {
        // given: a topology file and healthy recordings of two devices, then a recording of two more
        Path topologies = Files.createDirectories(dir.resolve("topologies"));
        Files.writeString(topologies.resolve(kind.name() + ".yaml"), kind.yaml());
        Path healthy = writeRecordings(kind, "healthy", List.of("unit-1", "unit-2"), 300, 1);
        Path scored = writeRecordings(kind, "scored", List.of("unit-3", "unit-4"), 90, 2);
        Path model = dir.resolve(kind.name() + ".zip");

        // when
        CliRun train = CliRun.of("train", "--topology", kind.name(), "--topologies", topologies.toString(),
                "--data", healthy.toString(),
                "--out", model.toString(), "--epochs", "3", "--hidden", "8", "--bottleneck", "4");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--topologies", topologies.toString(),
                "--data", scored.toString());

        // then: the bundle describes the kind
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(score.exit()).as(score.err()).isZero();
        ModelBundle bundle = ModelBundle.load(model);
        BundleMetadata m = bundle.metadata();
        assertThat(List.of(m.kind(), m.features(), m.window(), m.hop(), m.engine(), m.training().devices()))
                .containsExactly(kind.name(), kind.features(), kind.window(), kind.hop(), "samediff", 2);
        assertThat(m.spec().features()).isEqualTo(kind.features().size());
        assertThat(m.threshold()).isPositive();
        // training shows what it learned: explained variance on stdout, the loss curve next to the bundle
        assertThat(train.out().lines().filter(l -> l.startsWith("train: explained variance of the validation windows ")))
                .hasSize(1);
        assertThat(dir.resolve(kind.name() + "-loss.png")).isNotEmptyFile();
        assertThat(m.training().validationLosses()).hasSize(m.training().epochs());
        assertThat(bundle.scorer().engine()).isEqualTo(Backend.isGpu() ? "nd4j" : "java");

        // then: a header and one line per window, each device's windows in time order
        int perDevice = (90 - kind.window()) / kind.hop() + 1;
        List<String> lines = score.out().lines().toList();
        List<String> expected = new ArrayList<>();
        expected.add("device,window_start,window_end,score,threshold,anomalous");
        for (String device : List.of("unit-3", "unit-4")) {
            for (int w = 0; w < perDevice; w++) {
                long start = START_MS + (long) w * kind.hop() * kind.periodMs();
                expected.add(String.format(Locale.ROOT, "%s,%d,%d,SCORE,%.6f,FLAG", device, start,
                        start + (kind.window() - 1) * kind.periodMs(), m.threshold()));
            }
        }
        assertThat(lines).hasSize(1 + 2 * perDevice);
        assertThat(withScoresMasked(lines)).containsExactlyElementsOf(expected);

        // then: the printed scores are the ND4J graph's, and 'anomalous' is score > threshold
        List<WindowScore> reference = referenceScores(bundle, scored, topologies, kind.name());
        for (int i = 0; i < reference.size(); i++) {
            String[] cells = lines.get(1 + i).split(",");
            double printed = Double.parseDouble(cells[3]);
            double expectedScore = reference.get(i).score();
            // the engines' difference is bounded by float32 rounding through this network's shape
            // (EngineTolerance derives it), the same on every CPU
            assertThat(printed).as("window %d", i).isCloseTo(expectedScore,
                    within(EngineTolerance.score(m.spec(), expectedScore) + PRINTED));
            assertThat(cells[5]).as("window %d anomalous", i).isEqualTo(printed > m.threshold() ? "1" : "0");
        }
    }

    /** The reference path: the bundle's network reconstructs the normalized batch through ND4J. */
    private static List<WindowScore> referenceScores(ModelBundle bundle, Path folder, Path topologies,
                                                     String kind) {
        SensorKind sensorKind = SensorKindLoader.load(topologies, kind);
        List<Window> windows = new ArrayList<>();
        for (DeviceSeries series : RecordingReader.readAll(List.of(folder), sensorKind)) {
            windows.addAll(Windows.cut(series, Windower.Shape.of(sensorKind)));
        }
        var batch = Windows.batch(windows, bundle.metadata().normalizer());
        return ReconstructionError.of(batch, bundle.network().reconstruct(batch));
    }

    private static List<String> withScoresMasked(List<String> lines) {
        List<String> masked = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            masked.add(String.join(",", c[0], c[1], c[2], "SCORE", c[4], "FLAG"));
        }
        return masked;
    }

    /**
     * Smooth periodic signals, one phase per feature, with a little noise. A univariate kind gets one file
     * per device named after it (no device column); a kind with a device column gets one file for all.
     * Returns the folder: {@code --data} takes it whole.
     */
    private Path writeRecordings(Kind kind, String name, List<String> devices, int samples, long seed)
            throws IOException {
        Random random = new Random(seed);
        Path folder = Files.createDirectories(dir.resolve(name));
        StringBuilder shared = new StringBuilder(header(kind));
        for (String device : devices) {
            StringBuilder own = new StringBuilder(header(kind));
            for (int i = 0; i < samples; i++) {
                StringBuilder row = kind.deviceColumn() == null ? own : shared;
                if (kind.deviceColumn() != null) {
                    row.append(device).append(',');
                }
                row.append(START_MS + i * kind.periodMs());
                for (int f = 0; f < kind.features().size(); f++) {
                    double value = 10 * (f + 1) + 3 * Math.sin(2 * Math.PI * i / 24.0 + f) + 0.1 * random.nextGaussian();
                    row.append(',').append(String.format(Locale.ROOT, "%.4f", value));
                }
                row.append('\n');
            }
            if (kind.deviceColumn() == null) {
                Files.writeString(folder.resolve(device + ".csv"), own);
            }
        }
        if (kind.deviceColumn() != null) {
            Files.writeString(folder.resolve(kind.name() + ".csv"), shared);
        }
        return folder;
    }

    private static String header(Kind kind) {
        return (kind.deviceColumn() == null ? "" : kind.deviceColumn() + ",") + kind.timestampColumn() + ","
                + String.join(",", kind.features()) + "\n";
    }

}
