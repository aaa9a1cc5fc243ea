package io.vigil.testkit;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.ingest.Bridge;
import io.vigil.kind.SensorKind;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/** What the bridge ITs set up alike: a bridge between a test broker and the test Kafka, and a gateway's one publish. */
public final class Bridges {

    private Bridges() {
    }

    /** A bridge for {@code kind} from the MQTT broker at {@code mqttUri} to {@code kafka}; the caller adds the rest and starts it. */
    public static Bridge.Builder between(String mqttUri, EmbeddedKafka kafka, SensorKind kind) {
        return Bridge.builder()
                .broker(mqttUri)
                .bootstrapServers(kafka.bootstrapServers())
                .kinds(List.of(kind));
    }

    /** Publishes one message with QoS 1 over MQTT 5 from a clean-start client, as a gateway does, then disconnects. */
    public static void publishOnce(String mqttUri, String clientId, String topic, byte[] payload, boolean retained)
            throws MqttException {
        MqttClient gateway = new MqttClient(mqttUri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        gateway.connect(options);
        gateway.publish(topic, payload, 1, retained);
        gateway.disconnect();
        gateway.close();
    }
}
