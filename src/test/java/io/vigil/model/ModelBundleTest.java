package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.ConfigException;
import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A bundle round-trips: weights, normalizer, threshold and metadata equal, and the same scores. */
class ModelBundleTest {

    static final SensorKind TOPOLOGY = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
    static ModelBundle trained;
    static List<Window> windows;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() {
        Scenario scenario = new Scenario("tiny", 7, "vibration", 2, "d-", 100, 20, 0.0, List.of());
        List<DeviceSeries> series = Fleet.of(scenario).generate(Fleet.REPRODUCIBLE_START_MS);
        Trainer.Settings settings = Trainer.Settings.defaults(TOPOLOGY).withEpochs(1);
        trained = new Trainer(TOPOLOGY, settings, Trainer.Progress.NONE).train(series, List.of("tiny"));
        windows = Windows.cut(series.get(0), Windower.Shape.of(TOPOLOGY)).subList(0, 10);
    }

    @Test
    void saveThenLoadGivesTheSameModel() throws IOException {
        // given
        Path file = dir.resolve("model.zip");

        // when
        trained.save(file);
        ModelBundle loaded = ModelBundle.load(file);

        // then
        assertThat(loaded.metadata()).isEqualTo(trained.metadata());
        Map<String, INDArray> before = trained.network().parameters();
        Map<String, INDArray> after = loaded.network().parameters();
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((name, value) -> assertThat(after.get(name).equalsWithEps(value, 0)).as(name).isTrue());
        assertThat(loaded.scorer().score(windows)).usingRecursiveComparison()
                .isEqualTo(trained.scorer().score(windows));
    }

    @Test
    void metadataDescribesTheTrainingRun() {
        BundleMetadata m = trained.metadata();
        assertThat(m.kind()).isEqualTo("vibration");
        assertThat(m.features()).containsExactly("x", "y", "z");
        assertThat(List.of(m.window(), m.hop(), m.block())).containsExactly(64, 16, 1);
        assertThat(m.engine()).isEqualTo("samediff");
        assertThat(m.version()).matches("vibration-\\d{8}-\\d{6}-[0-9a-f]{8}");
        assertThat(m.training().devices()).isEqualTo(2);
        assertThat(m.training().samples()).isEqualTo(4000);
        assertThat(m.training().sources()).containsExactly("tiny");
        assertThat(m.threshold()).isGreaterThan(m.calibration().median());
    }

    @Test
    void scoresOneValuePerWindowWithSharesSummingToOne() {
        List<WindowScore> scores = trained.scorer().score(windows);

        assertThat(scores).hasSize(windows.size());
        assertThat(scores).allSatisfy(s -> {
            assertThat(s.score()).isPositive();
            assertThat(s.featureShare()[0] + s.featureShare()[1] + s.featureShare()[2]).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void aMissingBundleNamesTheFile() {
        Path file = dir.resolve("absent.zip");

        assertThatThrownBy(() -> ModelBundle.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": model bundle not found (train one with 'vigil train')");
    }

    @Test
    void aBundleReadFromItsBytesIsTheSavedOneAndATruncatedOneFailsWithOneLine() throws IOException {
        // given the bytes of a saved bundle, as the models topic carries them, and their first half
        Path file = dir.resolve("model.zip");
        trained.save(file);
        byte[] bytes = Files.readAllBytes(file);
        byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        // when
        ModelBundle loaded = ModelBundle.fromBytes(bytes, "vigil.models@4");

        // then
        assertThat(loaded.metadata()).isEqualTo(trained.metadata());
        assertThat(loaded.scorer().score(windows)).usingRecursiveComparison()
                .isEqualTo(trained.scorer().score(windows));
        assertThatThrownBy(() -> ModelBundle.fromBytes(half, "vigil.models@5")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("vigil.models@5: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aBundleWithBrokenMetadataNamesTheField() throws IOException {
        // given: a bundle whose threshold was edited to a negative number
        Path good = dir.resolve("good.zip");
        trained.save(good);
        Path bad = rewriteMetadata(good, json -> json.replaceFirst("\"threshold\" : [0-9.E-]+", "\"threshold\" : -1"));

        // then
        assertThatThrownBy(() -> ModelBundle.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + "!bundle.json: field 'calibration.threshold': expected a positive threshold");
    }

    @Test
    void aBundleForOtherFeaturesIsRejectedAgainstTheTopology() throws IOException {
        Path good = dir.resolve("good.zip");
        trained.save(good);
        SensorKind twoFeatures = new SensorKind("pump", List.of("a", "b"), 100, 64, 16,
                SensorKind.Preprocess.NONE, TOPOLOGY.payload(), TOPOLOGY.csv(), good, TOPOLOGY.alert(),
                "vigil/pump/+", TOPOLOGY.kafka());

        assertThatThrownBy(() -> ModelBundle.load(good).checkCompatible(twoFeatures, good))
                .isInstanceOf(ConfigException.class)
                .hasMessage(good + ": model features [x, y, z] do not match topology 'pump' features [a, b]");
    }

    private Path rewriteMetadata(Path bundle, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path out = dir.resolve("edited.zip");
        try (var zip = new java.util.zip.ZipFile(bundle.toFile());
             var writer = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("bundle.json")) {
                    bytes = edit.apply(new String(bytes)).getBytes();
                }
                writer.putNextEntry(new ZipEntry(entry.getName()));
                writer.write(bytes);
                writer.closeEntry();
            }
        }
        return out;
    }
}
