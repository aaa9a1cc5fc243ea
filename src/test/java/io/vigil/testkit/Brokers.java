package io.vigil.testkit;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.EmbeddedMqtt;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Under {@link RealBrokers}, a parameter of this type starts brokers whose configuration the test builds at run
 * time (a password file, certificates, an ACL), each closed with the scope the parameter was resolved in: the
 * class for a {@code @BeforeAll} method, the test for a test or {@code @BeforeEach} method.
 */
public final class Brokers {

    private final ExtensionContext scope;

    Brokers(ExtensionContext scope) {
        this.scope = scope;
    }

    /** An in-process Kafka broker with the embedded defaults. */
    public EmbeddedKafka kafka() {
        return kafka(Map.of());
    }

    /** An in-process Kafka broker; {@code overrides} replace the embedded defaults. */
    public EmbeddedKafka kafka(Map<String, String> overrides) {
        return closedWithScope(EmbeddedKafka.start(overrides));
    }

    /** Debian's mosquitto with {@link MosquittoProcess#config}. */
    public MosquittoProcess mosquitto() {
        return mosquitto(MosquittoProcess::config);
    }

    /** Debian's mosquitto with the configuration {@code config} writes for a free loopback port. */
    public MosquittoProcess mosquitto(IntFunction<String> config) {
        MosquittoRequired.check(scope);
        return closedWithScope(MosquittoProcess.start(config));
    }

    /** Debian's mosquitto with persistence: sessions and queued messages survive {@code restart()}. */
    public MosquittoProcess persistentMosquitto() {
        MosquittoRequired.check(scope);
        return closedWithScope(MosquittoProcess.startPersistent());
    }

    /** mosquitto when installed, else HiveMQ CE in-process. */
    public MqttBroker anyMqtt() {
        return closedWithScope(MosquittoProcess.executable().isPresent() ? MosquittoProcess.start() : EmbeddedMqtt.start());
    }

    /** The store closes its values when the scope ends, in reverse order of insertion. */
    private <T extends AutoCloseable> T closedWithScope(T broker) {
        scope.getStore(RealBrokers.NAMESPACE).put(new Object(), broker);
        return broker;
    }
}
