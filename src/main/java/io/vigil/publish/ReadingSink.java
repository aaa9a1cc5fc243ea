package io.vigil.publish;

import io.vigil.reading.DeviceSeries;

/**
 * Where replayed readings go: MQTT (through the bridge, like real sensors) or straight to the
 * readings topic in Kafka. One call publishes samples {@code from..to-1} of a series as one reading.
 */
public interface ReadingSink extends AutoCloseable {

    void send(DeviceSeries series, int from, int to) throws Exception;

    /** Blocks until every reading sent so far is acknowledged. */
    void finish() throws Exception;

    @Override
    void close() throws Exception;
}
