package io.vigil.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.topology.SensorTopology.AlertPolicy;
import io.vigil.topology.SensorTopology.KafkaTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theShippedVibrationTopologyLoads() {
        SensorTopology t = TopologyLoader.load(Path.of("topologies"), "vibration");

        assertThat(t.kind()).isEqualTo("vibration");
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
    void skabCalibratesEachRunOnItsFirst400Rows() {
        SensorTopology t = TopologyLoader.load(Path.of("topologies"), "skab");

        assertThat(t.featureCount()).isEqualTo(8);
        // 396 windows of 5 samples at hop 1 end at rows 5..400
        assertThat(t.window() + t.alert().calibrate().warmupWindows() - 1).isEqualTo(400);
        assertThat(t.alert().calibrate()).isEqualTo(new SensorTopology.Calibrate(396, true, 0.95, 0.0));
    }

    @Test
    void everyShippedTopologyLoads() {
        assertThat(TopologyLoader.loadAll(Path.of("topologies"))).extracting(SensorTopology::kind)
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
        SensorTopology t = TopologyLoader.load(file);

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
            "alert: {calibrate: {warmupWindows: 3}} | field 'alert.calibrate.warmupWindows': expected at least 4 (half standardize, half calibrate), got '3'",
            "alert: {calibrate: {warmupWindows: 10, quantile: 2}} | field 'alert.calibrate.quantile': expected a number in (0, 1], got '2'",
            "alert: {calibrate: {warmupWindows: 10, standardize: yes please}} | field 'alert.calibrate.standardize': expected true or false, got 'yes please'",
            "alert: {calibrate: {warmup: 10}} | field 'alert.calibrate.warmup': expected one of",
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
        assertThatThrownBy(() -> TopologyLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": " + message.strip());
    }

    @Test
    void aMissingFileAndInvalidYamlAreOneLine() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        Path invalid = write("bad", "kind: [unclosed\n");

        assertThatThrownBy(() -> TopologyLoader.load(missing)).hasMessage(missing + ": topology file not found");
        assertThatThrownBy(() -> TopologyLoader.load(invalid)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(invalid + ": not valid YAML at line ").hasMessageNotContaining("\n");
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }
}
