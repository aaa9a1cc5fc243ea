package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.cli.Vigil;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.security.MqttSecurity;
import io.vigil.testkit.Brokers;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bridge against a mosquitto that requires a password and speaks only TLS, with certificates made
 * by openssl for this run: right credentials flow to Kafka; a wrong password, an untrusted server
 * and a missing client certificate each fail fast with one clear line.
 */
@ExtendWith(RealBrokers.class)
@Mosquitto // mosquitto_passwd writes the password files before the brokers start
class SecureBridgeIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final String USER = "vigil-bridge";
    static final String PASSWORD = "s3cret-Ünïcode pass";

    @TempDir
    static Path dir;
    static TestCertificates pki;
    static int mtlsPort;
    static EmbeddedKafka kafka;
    static MosquittoProcess mosquitto;

    @BeforeAll
    static void startSecuredBrokers(Brokers brokers) throws Exception {
        assumeTrue(TestCertificates.unavailable().isEmpty(), () -> TestCertificates.unavailable().orElseThrow());
        pki = TestCertificates.create(dir);
        Path passwords = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwords.toString(), USER, PASSWORD);
        mtlsPort = io.vigil.embedded.FreePorts.pick();
        mosquitto = brokers.mosquitto(port -> """
                # as root mosquitto would switch to user 'mosquitto', who cannot read our @TempDir (no effect otherwise)
                user root
                per_listener_settings false
                allow_anonymous false
                password_file %s
                max_inflight_messages 1000
                persistence false
                # server TLS with a password
                listener %d 127.0.0.1
                cafile %s
                certfile %s
                keyfile %s
                # mutual TLS: a client certificate signed by our CA, and a password
                listener %d 127.0.0.1
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                """.formatted(passwords, port, pki.ca(), pki.serverCert(), pki.serverKey(),
                mtlsPort, pki.ca(), pki.serverCert(), pki.serverKey()));
        kafka = brokers.kafka();
    }

    @Test
    void rightCredentialsOverTlsFlowThroughToKafka() throws Exception {
        // given a bridge and a sensor that both log in and verify the broker against our CA
        MqttSecurity security = new MqttSecurity(USER, PASSWORD.getBytes(StandardCharsets.UTF_8), pki.ca(), null, null);
        long ts = System.currentTimeMillis();
        try (Bridge bridge = bridge(tls(mosquitto.port()), security, "secure-bridge")) {
            // when the sensor publishes over TLS
            publish(tls(mosquitto.port()), security, "vigil/vibration/secure-1", ts);

            // then the reading is in Kafka
            List<ConsumerRecord<String, byte[]>> records = TopicReader.await(kafka.bootstrapServers(),
                    VIBRATION.kafka().readings(), r -> "secure-1".equals(r.key()), 1, Duration.ofSeconds(60));
            assertThat(records).extracting(ConsumerRecord::timestamp).containsExactly(ts);
            assertThat(bridge.isConnected()).isTrue();
        }
    }

    @Test
    void clientCertificateIsAcceptedOnTheMutualTlsListener() throws Exception {
        // given the bridge's own certificate and key besides its password
        MqttSecurity security = new MqttSecurity(USER, PASSWORD.getBytes(StandardCharsets.UTF_8), pki.ca(),
                pki.clientCert(), pki.clientKey());
        long ts = System.currentTimeMillis();
        try (Bridge bridge = bridge(tls(mtlsPort), security, "mtls-bridge")) {
            // when a sensor with a client certificate publishes
            publish(tls(mtlsPort), security, "vigil/vibration/mtls-1", ts);

            // then
            assertThat(TopicReader.await(kafka.bootstrapServers(), VIBRATION.kafka().readings(),
                    r -> "mtls-1".equals(r.key()), 1, Duration.ofSeconds(60))).hasSize(1);
        }
    }

    @Test
    void wrongPasswordFailsFastWithOneClearLine() {
        // given
        MqttSecurity wrong = new MqttSecurity(USER, "guess".getBytes(StandardCharsets.UTF_8), pki.ca(), null, null);
        long started = System.nanoTime();

        // when / then: refused at once (no 30 s of retries), naming the cause and where the password comes from
        assertThatThrownBy(() -> bridge(tls(mosquitto.port()), wrong, "wrong-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("MQTT broker " + tls(mosquitto.port()) + " refused the connection: not authorized"
                        + " (check --mqtt-username and the password from VIGIL_MQTT_PASSWORD or --mqtt-password-file)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void untrustedServerCertificateFailsWithATlsLine() {
        // given a bridge that trusts another CA only
        MqttSecurity rogue = new MqttSecurity(USER, PASSWORD.getBytes(StandardCharsets.UTF_8), pki.rogueCa(), null, null);

        // when / then
        assertThatThrownBy(() -> bridge(tls(mosquitto.port()), rogue, "untrusting"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("MQTT broker " + tls(mosquitto.port()) + ": TLS handshake failed, the server is"
                        + " not trusted or does not match (check --mqtt-ca")
                .hasMessageNotContaining("\n")
                .satisfies(e -> System.out.println("SecureBridgeIT untrusted server: " + e.getMessage()));
    }

    @Test
    void missingClientCertificateIsRefusedByTheMutualTlsListener() {
        MqttSecurity noCert = new MqttSecurity(USER, PASSWORD.getBytes(StandardCharsets.UTF_8), pki.ca(), null, null);

        assertThatThrownBy(() -> Bridge.builder()
                .broker(tls(mtlsPort))
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId("no-cert")
                .mqttSecurity(noCert)
                .initialConnectTimeout(Duration.ofSeconds(3))
                .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("MQTT broker " + tls(mtlsPort))
                .hasMessageNotContaining("\n")
                .satisfies(e -> System.out.println("SecureBridgeIT no client certificate: " + e.getMessage()));
    }

    @Test
    void cliWithAWrongPasswordFilePrintsOneLineAndExitsTwo() throws IOException {
        // given a password file with the wrong password
        Path passwordFile = dir.resolve("wrong-password.txt");
        Files.writeString(passwordFile, "guess\n");
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));

        // when
        int code = cli.execute("bridge", "--broker", tls(mosquitto.port()), "--bootstrap", kafka.bootstrapServers(),
                "--metrics-port", "0", "--kind", "vibration", "--client-id", "cli-wrong",
                "--mqtt-username", USER, "--mqtt-password-file", passwordFile.toString(), "--mqtt-ca", pki.ca().toString());

        // then one line, no stack trace, and the password shown nowhere
        assertThat(code).isEqualTo(Vigil.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("vigil: MQTT broker " + tls(mosquitto.port())
                + " refused the connection: not authorized (check --mqtt-username and the password from"
                + " VIGIL_MQTT_PASSWORD or --mqtt-password-file)" + System.lineSeparator());
        assertThat(out + err.toString()).doesNotContain("guess");
    }

    @Test
    void aDeviceConnectingWithTheBridgesIdCannotTakeOverItsSessionUnderSecurityMdsBrokerSettings(Brokers brokers)
            throws Exception {
        // given a broker with SECURITY.md's ACL file and use_username_as_clientid, a bridge and a device user
        Path passwords = dir.resolve("takeover-passwd");
        run("mosquitto_passwd", "-c", "-b", passwords.toString(), USER, PASSWORD);
        run("mosquitto_passwd", "-b", passwords.toString(), "bearing-07", "device-pass");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, securityMdBlock("# /etc/mosquitto/acl"));
        assertThat(securityMdBlock("# /etc/mosquitto/conf.d/vigil.conf")).contains("use_username_as_clientid true");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MqttSecurity bridgeLogin = new MqttSecurity(USER, PASSWORD.getBytes(StandardCharsets.UTF_8), null, null, null);
        MqttSecurity deviceLogin = new MqttSecurity("bearing-07", "device-pass".getBytes(StandardCharsets.UTF_8), null, null, null);
        MosquittoProcess broker = brokers.mosquitto(port -> """
                user root
                listener %d 127.0.0.1
                allow_anonymous false
                password_file %s
                acl_file %s
                use_username_as_clientid true
                persistence false
                """.formatted(port, passwords, acl));
        try (Bridge bridge = Bridge.builder()
                     .broker(broker.uri())
                     .bootstrapServers(kafka.bootstrapServers())
                     .kinds(List.of(VIBRATION))
                     .clientId(USER)
                     .mqttSecurity(bridgeLogin)
                     .metrics(registry)
                     .start()) {
            // when the device, with its own valid login, connects as the bridge's client id
            MqttClient intruder = new MqttClient(broker.uri(), USER, new MemoryPersistence());
            MqttConnectionOptions cleanStart = new MqttConnectionOptions();
            cleanStart.setCleanStart(true);
            intruder.connect(deviceLogin.apply(cleanStart, broker.uri()));
            long ts = System.currentTimeMillis();
            intruder.publish("vigil/vibration/bearing-07",
                    ("{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}").getBytes(StandardCharsets.UTF_8), 1, false);

            // then it is just bearing-07: the bridge keeps its session and forwards the device's reading
            assertThat(TopicReader.await(kafka.bootstrapServers(), VIBRATION.kafka().readings(),
                    r -> "bearing-07".equals(r.key()), 1, Duration.ofSeconds(60))).extracting(ConsumerRecord::timestamp)
                    .containsExactly(ts);
            assertThat(bridge.isConnected()).isTrue();
            assertThat(registry.counter(BridgeMetrics.RECONNECTS).count()).isZero();
            intruder.disconnect();
            intruder.close();
        }
    }

    /** The fenced block of SECURITY.md whose first line is {@code firstLine}, without its fences. */
    private static String securityMdBlock(String firstLine) throws IOException {
        String doc = Files.readString(Path.of("SECURITY.md"));
        int start = doc.indexOf(firstLine);
        assertThat(start).as(firstLine + " in SECURITY.md").isNotNegative();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static Bridge bridge(String uri, MqttSecurity security, String clientId) {
        return Bridge.builder()
                .broker(uri)
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(VIBRATION))
                .clientId(clientId)
                .mqttSecurity(security)
                .metrics(new SimpleMeterRegistry())
                .start();
    }

    private static void publish(String uri, MqttSecurity security, String topic, long ts) throws Exception {
        MqttClient sensor = new MqttClient(uri, "sensor-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        sensor.connect(security.apply(options, uri));
        sensor.publish(topic, ("{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}").getBytes(StandardCharsets.UTF_8), 1, false);
        sensor.disconnect();
        sensor.close();
    }

    private static String tls(int port) {
        return "ssl://127.0.0.1:" + port;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
