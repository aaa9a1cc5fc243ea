package io.vigil.embedded;

/** An MQTT 5 broker started by Vigil for the demo or a test; closing it stops it and removes its files. */
public interface MqttBroker extends AutoCloseable {

    /** Server URI for Paho and {@code --broker}, e.g. {@code tcp://127.0.0.1:41883}. */
    default String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** TCP port on 127.0.0.1. */
    int port();

    @Override
    void close();
}
