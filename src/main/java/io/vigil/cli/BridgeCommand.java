package io.vigil.cli;

import io.vigil.ingest.Bridge;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.payload.PayloadParser;
import io.vigil.security.MqttSecurity;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bridge}: forwards MQTT v5 readings into Kafka until stopped (Ctrl-C / SIGTERM). */
@Command(name = "bridge",
        mixinStandardHelpOptions = true,
        header = "Forward every MQTT v5 reading to its Kafka readings topic, keyed by device id.",
        description = {
                "Subscribe (QoS 1, persistent session) to every topology's MQTT topic filter and forward each reading",
                "to its Kafka readings topic, keyed by device id; invalid payloads go to the dead-letter topic.",
                "A message is acknowledged to MQTT only after Kafka has the record."},
        footer = {"", "Examples:",
                "  vigil bridge --broker tcp://localhost:1883 --bootstrap localhost:9092",
                "  vigil bridge --client-id bridge-2 --share-group vigil --kind vibration"})
public final class BridgeCommand implements Runnable {

    @Mixin
    MqttBrokerOption broker;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Mixin
    TopologiesOption topologies; // every kind in it is bridged, or those --kind names

    @Option(names = "--kind", split = ",", description = "bridge only these sensor kinds (default: all)")
    List<String> kinds;

    @Option(names = "--client-id",
            description = {"MQTT client id; the broker keeps this id's session while the bridge is down, so keep it",
                    "across restarts and give every bridge its own (default " + Bridge.Builder.CLIENT_ID_PREFIX
                            + "-<host name>)"})
    String clientId;

    @Option(names = "--share-group",
            description = "subscribe as $share/<group>/<filter> so several bridges split the load")
    String shareGroup;

    @Option(names = "--max-inflight", defaultValue = "" + Bridge.Builder.DEFAULT_RECEIVE_MAXIMUM,
            description = "MQTT 5 receive maximum: unacknowledged messages in flight (default ${DEFAULT-VALUE})")
    int maxInflight;

    @Option(names = "--session-expiry", defaultValue = "3600",
            description = "seconds the broker keeps the session while the bridge is away (default ${DEFAULT-VALUE})")
    long sessionExpirySeconds;

    @Mixin
    TopicPartitionsOption partitions; // readings and dead-letter topics

    @Option(names = "--max-payload-bytes", defaultValue = "" + PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "larger payloads are dead-lettered as TOO_LARGE (default ${DEFAULT-VALUE})")
    int maxPayloadBytes;

    /** Default port of the bridge's metrics server. */
    public static final int DEFAULT_METRICS_PORT = 9401;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    MqttSecurityOptions mqttSecurity;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Override
    public void run() {
        List<SensorKind> selected = selectTopologies();
        if (maxInflight < 1 || maxInflight > 65_535) {
            throw new UsageException("--max-inflight must be 1..65535, got " + maxInflight);
        }
        MqttSecurity security = mqttSecurity.security();
        Map<String, Object> kafkaConfig = kafkaSecurity.clientConfig();
        Telemetry telemetry = Telemetry.withoutLivePage(); // the bridge scores no device
        MetricsServer metricsServer;
        try {
            metricsServer = metrics.start(telemetry, DEFAULT_METRICS_PORT);
        } catch (UsageException e) {
            telemetry.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Bridge bridge;
        try {
            bridge = Bridge.builder()
                    .broker(broker.uri)
                    .bootstrapServers(bootstrap.servers)
                    .kinds(selected)
                    .clientId(clientId == null ? Bridge.Builder.defaultClientId() : clientId)
                    .unknownKinds(kinds == null || kinds.isEmpty()) // --kind: the other kinds are other bridges' business
                    .shareGroup(shareGroup)
                    .receiveMaximum(maxInflight)
                    .sessionExpiry(Duration.ofSeconds(sessionExpirySeconds))
                    .partitions(partitions.count)
                    .maxPayloadBytes(maxPayloadBytes)
                    .mqttSecurity(security)
                    .kafkaClientConfig(kafkaConfig)
                    .metrics(telemetry.registry())
                    .start();
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (metricsServer != null) {
                metricsServer.close();
            }
            telemetry.close();
            throw new UsageException(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            telemetry.close();
            stopped.countDown();
        }, "bridge-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<SensorKind> selectTopologies() {
        if (kinds == null || kinds.isEmpty()) {
            List<SensorKind> all = topologies.loadAll();
            if (all.isEmpty()) {
                throw new UsageException(topologies.dir + ": no topology files (*.yaml)");
            }
            return all;
        }
        return kinds.stream().map(topologies::load).toList();
    }
}
