package io.vigil.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind.AlertPolicy;
import io.vigil.kind.SensorKind.KafkaTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensorKindLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theShippedVibrationTopologyLoads() {
        SensorKind t = SensorKindLoader.load(Path.of("topologies"), "vibration");

        assertThat(t.name()).isEqualTo("vibration");
        assertThat(t.features()).containsExactly("x", "y", "z");
        assertThat(List.of(t.window(), t.hop(), t.preprocess().block())).containsExactly(64, 16, 1);
        assertThat(t.sampleRateHz()).isEqualTo(100);
        assertThat(t.modelPath()).isEqualTo(Path.of("models/vibration.zip"));
        assertThat(t.alert()).isEqualTo(new AlertPolicy(null, 3, 12));
        assertThat(t.mqttTopicFilter()).isEqualTo("vigil/vibration/+");
        assertThat(t.kafka()).isEqualTo(new KafkaTopics("vigil.readings.vibration", "vigil.scores.vibration",
                "vigil.alerts", "vigil.deadletter"));
    }

    @Test
    void theShippedAdxl356TopologyFramesTheFullRateSignal() {
        SensorKind t = SensorKindLoader.load(Path.of("topologies"), "adxl356");

        assertThat(t.frontEnd()).isEqualTo(new SensorKind.Spectrum(20_000, 1024, 128, 12, 15, 10_000, 5, 2_000,
                9_000, 500));
        assertThat(t.chosenOn()).isEqualTo("1200_*");
        assertThat(t.modelFeatures()).hasSize(3 * (12 + 5 + 4)).startsWith("x_band0").contains("y_env4", "z_kurtosis")
                .endsWith("z_peak");
        // the baselines judge each axis by its frame RMS, and every output belongs to its axis
        assertThat(List.of(0, 1, 2)).extracting(axis -> t.modelFeatures().get(t.frontEnd().levelOf(axis)))
                .containsExactly("x_rms", "y_rms", "z_rms");
        assertThat(t.frontEnd().inputOf(t.modelFeatures().indexOf("y_env4"))).isEqualTo(1);
    }

    @Test
    void preprocessAndFrontEndTogetherAreAnError() throws IOException {
        Path file = write("both", """
                kind: both
                features: [x]
                sampleRateHz: 100
                window: 4
                hop: 1
                preprocess: {block: 2}
                frontEnd: {type: rolling, span: 3}
                """);

        assertThatThrownBy(() -> SensorKindLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": field 'frontEnd': expected either preprocess or frontEnd, not both, got 'both given'");
    }

    @Test
    void skabCalibratesEachRunOnItsFirst400Rows() {
        SensorKind t = SensorKindLoader.load(Path.of("topologies"), "skab");

        assertThat(t.featureCount()).isEqualTo(8);
        // 396 windows of 5 samples at hop 1 end at rows 5..400
        assertThat(t.window() + t.alert().calibrate().warmupWindows() - 1).isEqualTo(400);
        assertThat(t.alert().calibrate()).isEqualTo(new SensorKind.Calibrate(396, true, 0.95, 0.0));
    }

    @Test
    void aLikelihoodTakesNumentasSettingsUnlessGivenAndIsAbsentUnlessAsked() throws IOException {
        String pump = """
                kind: pump
                features: [x]
                sampleRateHz: 1
                window: 4
                hop: 1
                alert: {calibrate: {warmupWindows: 10%s}}
                """;

        assertThat(SensorKindLoader.load(write("a", pump.formatted(", likelihood: {}"))).alert().calibrate())
                .isEqualTo(new SensorKind.Calibrate(10, true, 0.99, 1.0, new SensorKind.Likelihood(10, 8640, 0.99999)));
        assertThat(SensorKindLoader.load(write("b", pump.formatted(
                        ", likelihood: {shortSpan: 5, longSpan: 1000, threshold: 0.999}"))).alert().calibrate().likelihood())
                .isEqualTo(new SensorKind.Likelihood(5, 1000, 0.999));
        assertThat(SensorKindLoader.load(write("c", pump.formatted(""))).alert().calibrate().likelihood()).isNull();
    }

    @Test
    void everyShippedTopologyLoads() {
        assertThat(SensorKindLoader.loadAll(Path.of("topologies"))).extracting(SensorKind::name)
                .contains("adxl356", "vibration", "skab", "nab");
    }

    @Test
    void aMinimalFileGetsDefaultsForEveryOptionalField() throws IOException {
        // given: a univariate temperature stream, nothing but the required fields
        Path file = write("temperature", """
                kind: temperature
                features: [celsius]
                sampleRateHz: 1
                window: 30
                hop: 5
                """);

        // when
        SensorKind t = SensorKindLoader.load(file);

        // then
        assertThat(t.payload().fields()).containsEntry("celsius", "celsius");
        assertThat(t.payload().timestampField()).isEqualTo("ts");
        assertThat(t.modelPath()).isEqualTo(Path.of("models/temperature.zip"));
        assertThat(t.mqttTopicFilter()).isEqualTo("vigil/temperature/+");
        assertThat(t.kafka().readings()).isEqualTo("vigil.readings.temperature");
        assertThat(t.alert()).isEqualTo(new AlertPolicy(null, 3, 5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "window: abc                 | field 'window': expected a positive integer, got 'abc'",
            "window: 0                   | field 'window': expected a positive integer, got '0'",
            "hop: 100                    | field 'hop': expected at most window (64), got '100'",
            "features: []                | field 'features': expected a non-empty list of names, e.g. [x, y, z], got '[]'",
            "features: [x, x]            | field 'features': expected distinct names, got 'x twice'",
            "sampleRateHz: -5            | field 'sampleRateHz': expected a positive number, got '-5'",
            "kind: 'a b'                 | field 'kind': expected a name of letters, digits, '_' or '-', got 'a b'",
            "colour: blue                | field 'colour': unknown; expected one of",
            "alert: {threshold: high}    | field 'alert.threshold': expected 'model' or a positive number, got 'high'",
            "alert: {raiseAfter: 1.5}    | field 'alert.raiseAfter': expected a positive integer, got '1.5'",
            "alert: {healthyDeviceShare: 5} | field 'alert.healthyDeviceShare': expected a number between 0 and 1, got '5'",
            "preprocess: {stat: median}  | field 'preprocess.stat': expected one of mean, rms, got 'median'",
            "mqtt: {topicFilter: a/b}    | field 'mqtt.topicFilter': expected a filter ending in '/+' (the device id level), got 'a/b'",
            "payload: {fields: {w: q}}   | field 'payload.fields.w': expected one of the features [x, y, z], got 'w'",
            "frontEnd: {type: fft}       | field 'frontEnd.type': expected one of spectrum, rolling, got 'fft'",
            "frontEnd: {type: spectrum, rateHz: 20000, frame: 1000} | field 'frontEnd.frame': expected a power of two, at least 16, got '1000'",
            "frontEnd: {type: spectrum, rateHz: 20000, frame: 1024, bands: 12, lowHz: 5} | field 'frontEnd.lowHz': expected a first band (5-9 Hz) at least one FFT bin (19.53125 Hz) wide: raise lowHz or frame, or use fewer bands, got '5'",
            "frontEnd: {type: spectrum, rateHz: 20000, frame: 1024, highHz: 12000} | field 'frontEnd.highHz': expected above lowHz (19.53125) and at most half of rateHz (10000), got '12000'",
            "frontEnd: {type: spectrum, rateHz: 20000, frame: 1024, envelopeBands: 5} | field 'frontEnd.envelopeLowHz': expected a positive number, but it is missing",
            "frontEnd: {type: spectrum, rateHz: 20000, frame: 1024, colour: red} | field 'frontEnd.colour': expected one of [bands, envelopeBands, envelopeHighHz, envelopeLowHz, envelopeMaxHz, frame, frameHop, highHz, lowHz, rateHz, type], got 'unknown'",
            "frontEnd: {type: rolling, span: 1} | field 'frontEnd.span': expected at least 2 samples, got '1'",
            "alert: {calibrate: {warmupWindows: 3}} | field 'alert.calibrate.warmupWindows': expected at least 4 (half standardize, half calibrate), got '3'",
            "alert: {calibrate: {warmupWindows: 10, quantile: 2}} | field 'alert.calibrate.quantile': expected a number in (0, 1], got '2'",
            "alert: {calibrate: {warmupWindows: 10, standardize: yes please}} | field 'alert.calibrate.standardize': expected true or false, got 'yes please'",
            "alert: {calibrate: {warmup: 10}} | field 'alert.calibrate.warmup': expected one of",
            "alert: {calibrate: {warmupWindows: 10, likelihood: {threshold: 1}}} | field 'alert.calibrate.likelihood.threshold': expected a number in (0, 1), got '1'",
            "alert: {calibrate: {warmupWindows: 10, likelihood: {shortSpan: 0}}} | field 'alert.calibrate.likelihood.shortSpan': expected a positive integer, got '0'",
            "alert: {calibrate: {warmupWindows: 10, likelihood: {span: 5}}} | field 'alert.calibrate.likelihood.span': expected one of",
    })
    void aBrokenFieldFailsWithFileFieldAndExpectation(String line, String message) throws IOException {
        // given: a valid file with one field replaced (or added)
        String key = line.substring(0, line.indexOf(':'));
        String valid = """
                kind: pump
                features: [x, y, z]
                sampleRateHz: 100
                window: 64
                hop: 16
                """;
        String yaml = valid.lines().anyMatch(l -> l.startsWith(key + ":"))
                ? valid.replaceAll("(?m)^" + key + ":.*$", line.strip())
                : valid + line.strip() + "\n";
        Path file = write("pump", yaml);

        // then
        assertThatThrownBy(() -> SensorKindLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": " + message.strip());
    }

    @Test
    void aSpectrumFrontEndCannotBeStandardizedPerDevice() throws IOException {
        Path file = write("rig", """
                kind: rig
                features: [x]
                sampleRateHz: 20000
                window: 8
                hop: 1
                frontEnd: {type: spectrum, rateHz: 20000, frame: 1024, bands: 4, lowHz: 100}
                alert: {calibrate: {warmupWindows: 10}}
                """);

        assertThatThrownBy(() -> SensorKindLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": field 'alert.calibrate.standardize': expected false with frontEnd spectrum, got 'true'");
    }

    @Test
    void aMissingFileAndInvalidYamlAreOneLine() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        Path invalid = write("bad", "kind: [unclosed\n");

        assertThatThrownBy(() -> SensorKindLoader.load(missing)).hasMessage(missing + ": topology file not found");
        assertThatThrownBy(() -> SensorKindLoader.load(invalid)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(invalid + ": not valid YAML at line ").hasMessageNotContaining("\n");
    }

    @Test
    void rangesBoundFeaturesAndTheRestKeepTheDefault() throws IOException {
        // given
        Path file = write("pump", """
                kind: pump
                features: [x, y]
                sampleRateHz: 100
                window: 4
                hop: 2
                range:
                  x: [-1e6, 1e6]
                """);

        // when
        SensorKind t = SensorKindLoader.load(file);

        // then
        assertThat(List.of(t.range(0), t.range(1))).containsExactly(new SensorKind.ValueRange(-1e6, 1e6),
                SensorKind.ValueRange.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{x: [1, -1]}'    | field 'range.x': expected [min, max], two finite numbers with min < max, got '[1,-1]'",
            "'{x: [0, \"1\"]}'  | field 'range.x': expected [min, max], two finite numbers with min < max, got '[0,\"1\"]'",
            "'{x: 5}'          | field 'range.x': expected [min, max], two finite numbers with min < max, got '5'",
            "'{w: [0, 1]}'     | field 'range.w': expected one of the features [x, y], got 'w'",
            "'[0, 1]'          | field 'range': expected a mapping, got '[0,1]'"})
    void aBadRangeIsOneLineNamingFileFieldAndExpectation(String range, String message) throws IOException {
        // given
        Path file = write("pump", """
                kind: pump
                features: [x, y]
                sampleRateHz: 100
                window: 4
                hop: 2
                range: %s
                """.formatted(range));

        // when / then
        assertThatThrownBy(() -> SensorKindLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": " + message);
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }
}
