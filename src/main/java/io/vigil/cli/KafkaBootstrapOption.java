package io.vigil.cli;

import io.vigil.ingest.Bridge;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap}: the Kafka cluster a command connects to as a client (detect, bridge, replay). The
 * commands that otherwise start an embedded Kafka name an external one with {@link ExternalBrokerOptions}.
 */
final class KafkaBootstrapOption {

    @Option(names = "--bootstrap", paramLabel = "SERVERS",
            defaultValue = "${env:VIGIL_KAFKA_BOOTSTRAP:-" + Bridge.Builder.DEFAULT_BOOTSTRAP + "}",
            description = "Kafka bootstrap servers (env VIGIL_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
    String servers;
}
