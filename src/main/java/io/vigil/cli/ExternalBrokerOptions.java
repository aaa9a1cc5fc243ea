package io.vigil.cli;

import picocli.CommandLine.Option;

/**
 * External brokers for the commands that otherwise start embedded ones ({@code demo}, {@code bench
 * pipeline}, {@code bench soak}): an MQTT 5 broker URL and Kafka bootstrap servers, each from its
 * option or environment variable; blank means "start the embedded one".
 */
final class ExternalBrokerOptions {

    @Option(names = "--broker", defaultValue = "${env:VIGIL_MQTT_BROKER:-}", paramLabel = "URL",
            description = "External MQTT 5 broker instead of the embedded one (env VIGIL_MQTT_BROKER).")
    String broker;

    @Option(names = "--bootstrap", defaultValue = "${env:VIGIL_KAFKA_BOOTSTRAP:-}", paramLabel = "HOST:PORT",
            description = "External Kafka instead of the embedded one (env VIGIL_KAFKA_BOOTSTRAP).")
    String bootstrap;

    /** The external MQTT broker's URL, or null to start an embedded one. */
    String mqtt() {
        return blankToNull(broker);
    }

    /** The external Kafka's bootstrap servers, or null to start an embedded one. */
    String kafka() {
        return blankToNull(bootstrap);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
