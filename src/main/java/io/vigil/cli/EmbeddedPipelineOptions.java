package io.vigil.cli;

import ch.qos.logback.classic.Level;
import io.vigil.pipeline.ModelCache;
import io.vigil.pipeline.Pipeline;
import io.vigil.embedded.EmbeddedMqtt;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import io.vigil.kind.SensorKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the benchmarks that run the whole pipeline share ({@code bench pipeline}, {@code bench soak},
 * {@code bench replay}): the brokers (embedded, or external ones by address, except for {@code bench
 * replay}), the topology folder, the log level, and the cached vibration model.
 */
final class EmbeddedPipelineOptions {

    @Option(names = "--mqtt", defaultValue = "auto",
            description = "Embedded MQTT broker when no --broker: auto, mosquitto or hivemq (default: ${DEFAULT-VALUE}).")
    String mqtt;

    @Mixin
    ExternalBrokerOptions external;

    @Mixin
    TopologiesOption topologies;

    @Mixin
    VerboseOption verbose;

    /** Vigil's own INFO logs off unless {@code --verbose}: the benchmark prints its own progress. */
    void quietLogs() {
        verbose.quiet("io.vigil", Level.WARN);
    }

    SensorKind vibration() {
        return topologies.load("vibration");
    }

    /** The kind's model bundle, trained on the healthy scenario first if missing. */
    Path model(SensorKind kind, PrintWriter out, String prefix) {
        return ModelCache.ensure(kind, kind.modelPath(), ModelCache.HEALTHY_SCENARIO, ModelCache.demoSettings(kind),
                r -> Console.epoch(out, r), line -> {
                    out.println(prefix + line);
                    out.flush();
                });
    }

    /**
     * The brokers a bench runs on: {@code --broker} and {@code --bootstrap} where given (topics created
     * if missing), else embedded ones, the MQTT broker as {@code --mqtt} says.
     */
    Pipeline.Brokers brokers() {
        if (external.mqtt() != null && !mqtt.equals("auto")) {
            throw new UsageException("--mqtt " + mqtt + " starts an embedded broker; --broker names an external one: give one of them");
        }
        return new Pipeline.Brokers(external.mqtt(), external.kafka(), external.mqtt() != null ? null : embeddedMqtt());
    }

    /** The embedded MQTT broker: {@code auto} (mosquitto if installed, else HiveMQ), {@code mosquitto} or {@code hivemq}. */
    Supplier<MqttBroker> embeddedMqtt() {
        boolean mosquitto = MosquittoProcess.executable().isPresent();
        return switch (mqtt) {
            case "auto" -> mosquitto ? MosquittoProcess::start : EmbeddedMqtt::start;
            case "mosquitto" -> {
                if (!mosquitto) {
                    throw new UsageException("--mqtt mosquitto: mosquitto is not installed (apt-get install mosquitto)");
                }
                yield MosquittoProcess::start;
            }
            case "hivemq" -> EmbeddedMqtt::start;
            default -> throw new UsageException("--mqtt must be auto, mosquitto or hivemq, got '" + mqtt + "'");
        };
    }
}
