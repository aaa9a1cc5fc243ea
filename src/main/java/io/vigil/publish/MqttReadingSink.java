package io.vigil.publish;

import io.vigil.payload.BatchPayload;
import io.vigil.reading.DeviceSeries;
import io.vigil.security.MqttSecurity;
import io.vigil.kind.SensorKind;

/**
 * Readings over MQTT v5 like real sensors: topic {@code <topology prefix><device id>}, the
 * topology's batch payload ({@code {"ts", "rateHz", "samples"}}), QoS 1.
 */
public final class MqttReadingSink implements ReadingSink {

    private final MqttQos1Sender sender;
    private final String prefix;
    private final BatchPayload payload;

    public MqttReadingSink(String broker, SensorKind kind, String clientId, int maxInFlight)
            throws Exception {
        this(broker, kind, clientId, maxInFlight, MqttSecurity.NONE);
    }

    public MqttReadingSink(String broker, SensorKind kind, String clientId, int maxInFlight,
                           MqttSecurity security) throws Exception {
        this.sender = MqttQos1Sender.connect(broker, clientId, maxInFlight, security);
        String filter = kind.mqttTopicFilter();
        this.prefix = filter.substring(0, filter.length() - 1);
        this.payload = new BatchPayload(kind.payload(), kind.sampleRateHz());
    }

    @Override
    public void send(DeviceSeries series, int from, int to) throws Exception {
        sender.send(prefix + series.device(), payload.json(series, from, to));
    }

    @Override
    public void finish() throws Exception {
        sender.drain();
    }

    @Override
    public void close() throws Exception {
        sender.close();
    }
}
