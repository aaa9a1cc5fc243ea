package io.vigil.cli;

import io.vigil.ingest.Bridge;
import picocli.CommandLine.Option;

/**
 * {@code --broker}: the MQTT 5 broker a command connects to as a client (bridge, replay). {@code simulate}'s
 * {@code --broker} chooses MQTT over CSV and has no default; the commands that otherwise start an embedded
 * broker name an external one with {@link ExternalBrokerOptions}.
 */
final class MqttBrokerOption {

    @Option(names = "--broker", paramLabel = "URL",
            defaultValue = "${env:VIGIL_MQTT_BROKER:-" + Bridge.Builder.DEFAULT_BROKER + "}",
            description = "MQTT v5 broker (env VIGIL_MQTT_BROKER; default: ${DEFAULT-VALUE}).")
    String uri;
}
