package io.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extension itself: a class's brokers serve every test, a test's brokers are gone once it ends, and the
 * {@code @Kafka} properties reach the broker.
 */
@ExtendWith(RealBrokers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBrokersIT {

    @Kafka("auto.create.topics.enable=false")
    static EmbeddedKafka kafka;
    @Mqtt
    static MqttBroker mqtt;

    /** What the first tests were given, to check in the last one that their scope closed it. */
    static MosquittoProcess perTestMosquitto;
    static EmbeddedKafka perTestKafka;

    @Test
    @Order(1)
    void classBrokersAreRunningWithTheirProperties() throws Exception {
        assertThat(kafka.isRunning()).isTrue();
        assertThat(accepts(mqtt.port())).isTrue();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1"); // the embedded node's id
            assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker)
                    .get("auto.create.topics.enable").value()).isEqualTo("false");
        }
    }

    @Test
    @Order(2)
    void aParameterBrokerRunsForItsTest(@Mosquitto(persistent = true) MosquittoProcess mosquitto) {
        perTestMosquitto = mosquitto;
        assertThat(mosquitto.isRunning()).isTrue();
        assertThat(mosquitto.port()).isNotEqualTo(mqtt.port());
        assertThat(mosquitto.restart()).isPositive(); // persistent: its state file was saved on the way
    }

    @Test
    @Order(3)
    void brokersConfiguredAtRunTimeRunForTheirTest(Brokers brokers) throws Exception {
        perTestKafka = brokers.kafka(Map.of("num.partitions", "2"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                perTestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("two", Optional.empty(), Optional.empty())))
                    .all().get();
            assertThat(admin.describeTopics(List.of("two")).allTopicNames().get().get("two").partitions()).hasSize(2);
        }
    }

    @Test
    @Order(4)
    void aTestsBrokersAreClosedWhenItEndsAndTheClassesStayUp() {
        assertThat(perTestMosquitto.isRunning()).isFalse();
        assertThat(perTestKafka.isRunning()).isFalse();
        assertThat(accepts(perTestMosquitto.port())).isFalse();
        assertThat(kafka.isRunning()).isTrue();
        assertThat(accepts(mqtt.port())).isTrue();
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
