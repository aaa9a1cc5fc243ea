package io.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class RealBrokersTest {

    @Test
    void kafkaPropertiesAreKeyEqualsValueInOrder() {
        assertThat(RealBrokers.properties(new String[] {"num.partitions = 2", "log.retention.ms=60000=1"}))
                .containsExactly(Map.entry("num.partitions", "2"), Map.entry("log.retention.ms", "60000=1"));
    }

    @Test
    void aPropertyWithoutKeyIsAConfigurationError() {
        assertThatThrownBy(() -> RealBrokers.properties(new String[] {"=2"}))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@Kafka property '=2' is not key=value");
    }

    @Test
    void theMissingPackagesAreNamedInOneLineWithTheCommandThatInstallsThem() {
        assertThat(MosquittoRequired.message(List.of("mosquitto", "mosquitto-clients")))
                .isEqualTo("the MQTT integration tests need Debian's mosquitto mosquitto-clients, not installed:"
                        + " run ./vigil test, which installs it, or apt-get install mosquitto mosquitto-clients");
    }
}
