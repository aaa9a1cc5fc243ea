package io.vigil.cli;

import io.vigil.security.MqttSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * MQTT credentials and TLS, shared by every command that talks to the broker (bridge, simulate, replay).
 * There is deliberately no password option: a command line is visible to every user of the machine
 * ({@code ps}), so the password comes from {@code $VIGIL_MQTT_PASSWORD} or a file.
 */
final class MqttSecurityOptions {

    static final String PASSWORD_ENV = "VIGIL_MQTT_PASSWORD";

    @Option(names = "--mqtt-username", defaultValue = "${env:VIGIL_MQTT_USERNAME}", paramLabel = "NAME",
            description = "MQTT username (env VIGIL_MQTT_USERNAME); the password comes from $" + PASSWORD_ENV
                    + " or --mqtt-password-file")
    String username;

    @Option(names = "--mqtt-password-file", defaultValue = "${env:VIGIL_MQTT_PASSWORD_FILE}", paramLabel = "FILE",
            description = "file whose first line is the MQTT password (env VIGIL_MQTT_PASSWORD_FILE)")
    Path passwordFile;

    @Option(names = "--mqtt-ca", defaultValue = "${env:VIGIL_MQTT_CA}", paramLabel = "PEM",
            description = "CA certificate(s) the broker's certificate must chain to; use with an ssl://host:8883 broker"
                    + " (env VIGIL_MQTT_CA; default for ssl://: the JVM's trust store)")
    Path caFile;

    @Option(names = "--mqtt-cert", defaultValue = "${env:VIGIL_MQTT_CERT}", paramLabel = "PEM",
            description = "client certificate for brokers that require one (env VIGIL_MQTT_CERT)")
    Path clientCert;

    @Option(names = "--mqtt-key", defaultValue = "${env:VIGIL_MQTT_KEY}", paramLabel = "PEM",
            description = "unencrypted PKCS#8 key of --mqtt-cert (env VIGIL_MQTT_KEY)")
    Path clientKey;

    /** The resolved settings; a bad combination or unreadable file is one {@link UsageException} line. */
    MqttSecurity security() {
        return security(System.getenv());
    }

    MqttSecurity security(Map<String, String> env) {
        byte[] password = password(env);
        if (password != null && username == null) {
            throw new UsageException("an MQTT password is set but no --mqtt-username (or VIGIL_MQTT_USERNAME)");
        }
        for (Path file : new Path[] {caFile, clientCert, clientKey}) {
            if (file != null && !Files.isReadable(file)) {
                throw new UsageException(file + ": MQTT TLS file not found or not readable");
            }
        }
        try {
            return new MqttSecurity(username, password, caFile, clientCert, clientKey);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (--mqtt-cert and --mqtt-key)");
        }
    }

    private byte[] password(Map<String, String> env) {
        if (passwordFile != null) {
            try {
                String first = Files.readAllLines(passwordFile).stream().findFirst().orElse("");
                return first.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException(passwordFile + " (--mqtt-password-file): cannot read ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        String fromEnv = env.get(PASSWORD_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
