package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.pipeline.Pipeline;
import io.vigil.embedded.MosquittoProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code bench pipeline} and {@code bench soak} resolve their brokers from the shared options. */
class EmbeddedPipelineOptionsTest {

    @BeforeEach
    void noBrokersInTheEnvironment() {
        assumeTrue(System.getenv("VIGIL_MQTT_BROKER") == null && System.getenv("VIGIL_KAFKA_BOOTSTRAP") == null,
                "VIGIL_MQTT_BROKER or VIGIL_KAFKA_BOOTSTRAP is set: the defaults under test come from them");
    }

    @Test
    void withoutBrokerOrBootstrapBothBrokersAreEmbedded() {
        // when
        Pipeline.Brokers brokers = pipelineOptions("--mqtt", "hivemq").brokers();

        // then
        assertThat(brokers.mqtt()).isNull();
        assertThat(brokers.kafka()).isNull();
        assertThat(brokers.externalKafka()).isFalse();
        assertThat(brokers.embeddedMqtt()).isNotNull();
    }

    @Test
    void brokerAndBootstrapNameExternalBrokersAndNothingIsEmbedded() {
        // when
        Pipeline.Brokers brokers = pipelineOptions("--broker", "tcp://mqtt.example:1883", "--bootstrap",
                "kafka.example:9092").brokers();

        // then
        assertThat(brokers).isEqualTo(new Pipeline.Brokers("tcp://mqtt.example:1883", "kafka.example:9092", null));
        assertThat(brokers.externalKafka()).isTrue();
    }

    @Test
    void anExternalKafkaAloneKeepsTheEmbeddedMqttBroker() {
        // when
        Pipeline.Brokers brokers = soakOptions("--bootstrap", "kafka.example:9092", "--mqtt", "hivemq").brokers();

        // then
        assertThat(brokers.mqtt()).isNull();
        assertThat(brokers.kafka()).isEqualTo("kafka.example:9092");
        assertThat(brokers.embeddedMqtt()).isNotNull();
    }

    @Test
    void aBlankBrokerMeansEmbedded() {
        // when
        Pipeline.Brokers brokers = pipelineOptions("--broker", " ", "--bootstrap", "", "--mqtt", "hivemq").brokers();

        // then
        assertThat(brokers.mqtt()).isNull();
        assertThat(brokers.kafka()).isNull();
    }

    @Test
    void anEmbeddedBrokerKindWithAnExternalBrokerIsAUsageError() {
        // given
        EmbeddedPipelineOptions options = pipelineOptions("--broker", "tcp://mqtt.example:1883", "--mqtt", "hivemq");

        // when / then
        assertThatThrownBy(options::brokers).isInstanceOf(UsageException.class)
                .hasMessage("--mqtt hivemq starts an embedded broker; --broker names an external one: give one of them");
    }

    @Test
    void mosquittoWhenNotInstalledIsAUsageError() {
        assumeTrue(MosquittoProcess.executable().isEmpty(), "mosquitto is installed here");
        assertThatThrownBy(pipelineOptions("--mqtt", "mosquitto")::brokers).isInstanceOf(UsageException.class);
    }

    private static EmbeddedPipelineOptions pipelineOptions(String... args) {
        BenchPipelineCommand command = new BenchPipelineCommand();
        new CommandLine(command).parseArgs(args);
        return command.pipeline;
    }

    private static EmbeddedPipelineOptions soakOptions(String... args) {
        BenchSoakCommand command = new BenchSoakCommand();
        new CommandLine(command).parseArgs(args);
        return command.pipeline;
    }
}
