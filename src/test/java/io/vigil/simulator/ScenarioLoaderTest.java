package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.ConfigException;
import io.vigil.simulator.Scenario.DeviceFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheDemoScenario() {
        // when
        Scenario demo = ScenarioLoader.load(Path.of("simulator/demo.yaml"));

        // then
        assertThat(demo).isEqualTo(new Scenario("demo", 20240601, "vibration", 20, "bearing-", 100, 300, 0.05,
                List.of(new DeviceFault(List.of("bearing-07", "bearing-15"), new FaultSchedule.Sudden(60)))));
        assertThat(demo.deviceIds()).hasSize(20).startsWith("bearing-01", "bearing-02").endsWith("bearing-20");
    }

    @Test
    void loadsEveryShippedScenario() {
        assertThat(List.of("demo", "healthy", "faults"))
                .map(name -> ScenarioLoader.load(Path.of("simulator", name + ".yaml")).name())
                .containsExactly("demo", "healthy", "faults");
        assertThat(ScenarioLoader.load(Path.of("simulator/healthy.yaml")).faults()).isEmpty();
        assertThat(ScenarioLoader.load(Path.of("simulator/faults.yaml")).faults())
                .extracting(f -> f.schedule())
                .containsExactly(new FaultSchedule.Sudden(60), new FaultSchedule.Gradual(60, 60),
                        new FaultSchedule.Intermittent(60, 5, 20));
    }

    @Test
    void resolvesDefaultsAndDeviceNumbers() throws IOException {
        // given a minimal file whose fault names devices by number
        Path file = write("""
                name: tiny
                seed: 1
                devices: {count: 3}
                rateHz: 50
                durationSeconds: 10
                faults:
                  - {devices: [1, 3], mode: gradual, start: 2, duration: 4}
                """);

        // when
        Scenario scenario = ScenarioLoader.load(file);

        // then
        assertThat(scenario).isEqualTo(new Scenario("tiny", 1, "vibration", 3, "device-", 50, 10, 0.0,
                List.of(new DeviceFault(List.of("device-01", "device-03"), new FaultSchedule.Gradual(2, 4)))));
    }

    @Test
    void missingFieldIsNamedWithItsFile() throws IOException {
        assertRejected("""
                name: tiny
                seed: 1
                devices: {count: 3}
                durationSeconds: 10
                """,
                "field 'rateHz': expected a number, but it is missing");
    }

    @Test
    void wrongTypeIsNamedWithWhatWasGiven() throws IOException {
        assertRejected("""
                name: tiny
                seed: 1
                devices: {count: many}
                rateHz: 100
                durationSeconds: 10
                """,
                "field 'devices.count': expected an integer, got 'many'");
    }

    @Test
    void unknownModeAndUnknownDeviceAreRejected() throws IOException {
        assertRejected("""
                name: tiny
                seed: 1
                devices: {count: 3, prefix: b-}
                rateHz: 100
                durationSeconds: 10
                faults:
                  - {devices: [b-01], mode: explode, at: 3}
                """,
                "field 'faults[0].mode': expected one of none, sudden, gradual, intermittent, got 'explode'");
        assertRejected("""
                name: tiny
                seed: 1
                devices: {count: 3, prefix: b-}
                rateHz: 100
                durationSeconds: 10
                faults:
                  - {devices: [b-04], mode: sudden, at: 3}
                """,
                "field 'faults[0].devices': expected a non-empty list of device ids (b-01 … b-03) or numbers 1..3,"
                        + " got 'b-04'");
    }

    @Test
    void fieldOfAnotherModeIsRejected() throws IOException {
        assertRejected("""
                name: tiny
                seed: 1
                devices: {count: 3}
                rateHz: 100
                durationSeconds: 10
                faults:
                  - {devices: [1], mode: sudden, start: 3}
                """,
                "field 'faults[0].start': unknown; expected one of [at, devices, mode]");
    }

    @Test
    void missingFileIsOneLine() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ScenarioLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": scenario file not found");
    }

    /** Loads {@code yaml} from a file of its own: a {@link ConfigException} naming that file, then {@code message}. */
    private void assertRejected(String yaml, String message) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> ScenarioLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": " + message);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "scenario", ".yaml"), yaml);
    }
}
