package io.vigil.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Under {@link RealBrokers}: a started MQTT 5 broker ({@link io.vigil.embedded.MqttBroker}) where any will do:
 * Debian's mosquitto when installed, else HiveMQ CE in-process, as the demo chooses. For a static field or a
 * parameter, closed with its scope.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Mqtt {
}
