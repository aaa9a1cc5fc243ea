package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.CliRun;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared MQTT/Kafka security options on every command that talks to a broker. */
class SecurityOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "simulate", "replay backblaze", "replay csv"})
    void mqttCommandsOfferCredentialsAndTlsButNoPasswordOnTheCommandLine(String command) {
        String help = help(command);

        assertThat(help).contains("--mqtt-username", "--mqtt-password-file", "--mqtt-ca", "--mqtt-cert", "--mqtt-key",
                "VIGIL_MQTT_PASSWORD");
        assertThat(help).doesNotContainPattern("--mqtt-password[ =]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "detect", "replay backblaze", "replay csv"})
    void kafkaCommandsTakeAClientPropertiesFile(String command) {
        assertThat(help(command)).contains("--kafka-config", "VIGIL_KAFKA_SECURITY_PROTOCOL");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bridge --kafka-config /nonexistent/kafka.properties --metrics-port 0"
                    + "|vigil: /nonexistent/kafka.properties (--kafka-config): file not found or not readable",
            "bridge --mqtt-ca /nonexistent/ca.pem --metrics-port 0"
                    + "|vigil: /nonexistent/ca.pem: MQTT TLS file not found or not readable",
            "bridge --mqtt-username u --mqtt-password-file /nonexistent/pw --metrics-port 0"
                    + "|vigil: /nonexistent/pw (--mqtt-password-file): cannot read (NoSuchFileException)",
            "detect --kafka-config /nonexistent/kafka.properties --metrics-port 0"
                    + "|vigil: /nonexistent/kafka.properties (--kafka-config): file not found or not readable",
    })
    void badSecurityFilesAreOneLineAndExitTwo(String args, String expected) {
        CliRun run = CliRun.of(args.split(" "));

        assertThat(run.exit()).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(run.err()).isEqualTo(expected + System.lineSeparator());
    }

    private static String help(String command) {
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        return CliRun.of(args).out().replaceAll("\\s+", " ");
    }

}
