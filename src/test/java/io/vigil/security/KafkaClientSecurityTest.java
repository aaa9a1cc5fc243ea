package io.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

    @Test
    void propertiesFileIsOverlaidByVigilKafkaEnvironmentVariables(@TempDir Path dir) throws Exception {
        // given a client properties file and the environment
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="vigil" password="p";
                ssl.truststore.location=/etc/vigil/truststore.p12
                """);
        Map<String, String> env = Map.of(
                "VIGIL_KAFKA_SASL_MECHANISM", "PLAIN",
                "VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "VIGIL_KAFKA_BOOTSTRAP", "broker:9092",   // Vigil's own option, not a client property
                "VIGIL_KAFKA_CONFIG", file.toString(),
                "PATH", "/usr/bin");

        // when
        Map<String, Object> config = KafkaClientSecurity.load(file, env);

        // then the environment wins, and only VIGIL_KAFKA_* client properties are taken
        assertThat(config).isEqualTo(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"p\";",
                "ssl.truststore.location", "/etc/vigil/truststore.p12",
                "ssl.truststore.password", "changeit"));
        // and secrets never reach a log line
        assertThat(KafkaClientSecurity.describe(config)).isEqualTo("sasl.jaas.config=(hidden), sasl.mechanism=PLAIN,"
                + " security.protocol=SASL_SSL, ssl.truststore.location=/etc/vigil/truststore.p12,"
                + " ssl.truststore.password=(hidden)");
    }

    @Test
    void missingFileIsOneLineNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaClientSecurity.load(missing, Map.of()))
                .hasMessage(missing + " (--kafka-config): expected a readable Java properties file (NoSuchFileException)");
    }

    @Test
    void mqttSecurityNeverShowsThePasswordAndRefusesTlsFilesOnPlainTcp() {
        MqttSecurity security = new MqttSecurity("vigil", "hunter2".getBytes(StandardCharsets.UTF_8),
                Path.of("ca.pem"), null, null);

        assertThat(security.toString()).doesNotContain("hunter2").contains("password=(hidden)");
        assertThatThrownBy(() -> security.apply(new MqttConnectionOptions(), "tcp://broker:1883"))
                .hasMessage("MQTT TLS files are given but the broker URI tcp://broker:1883 is not ssl://host:port;"
                        + " TLS would not be used");
    }

    @Test
    void credentialsAreSetOnPlainConnections() {
        MqttSecurity security = new MqttSecurity("vigil", "hunter2".getBytes(StandardCharsets.UTF_8), null, null, null);

        MqttConnectionOptions options = security.apply(new MqttConnectionOptions(), "tcp://broker:1883");

        assertThat(options.getUserName()).isEqualTo("vigil");
        assertThat(options.getPassword()).isEqualTo("hunter2".getBytes(StandardCharsets.UTF_8));
        assertThat(options.getSocketFactory()).isNull();
    }
}
