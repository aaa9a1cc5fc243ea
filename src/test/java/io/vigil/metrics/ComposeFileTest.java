package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.testkit.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.cli.BridgeCommand;
import io.vigil.cli.DetectCommand;
import io.vigil.cli.SimulateCommand;
import io.vigil.ingest.Bridge;
import io.vigil.ingest.Topics;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: valid, started in order, with the topics and ports the code expects. */
class ComposeFileTest {

    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final Pattern TOPIC_SPEC = Pattern.compile("([\\w.-]+):(\\d+)");

    final JsonNode compose = read();

    @Test
    void dockerComposeValidatesTheFile() throws Exception {
        Optional<ExternalTool> dockerCompose = ExternalTool.onPath("docker-compose");
        assumeTrue(dockerCompose.isPresent(), "docker-compose is not installed (Debian package docker-compose)");

        ExternalTool.Result result = dockerCompose.get().run("-f", COMPOSE.toString(), "config", "-q");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void dockerComposeValidatesTheScaleProfile() throws Exception {
        Optional<ExternalTool> dockerCompose = ExternalTool.onPath("docker-compose");
        assumeTrue(dockerCompose.isPresent(), "docker-compose is not installed (Debian package docker-compose)");

        ExternalTool.Result result = dockerCompose.get().run("-f", COMPOSE.toString(), "--profile", "scale", "config", "-q");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theScaleProfileRunsThreeBrokerProcessesTwoSharingBridgesAndThreeDetectorsEachWithItsOwnInstanceId() {
        JsonNode services = compose.path("services");
        for (String broker : new String[] {"kafka-s1", "kafka-s2", "kafka-s3"}) {
            assertThat(services.at("/" + broker + "/command").toString())
                    .contains("\"broker\"", "\"--voters\",\"1@kafka-s1:9093,2@kafka-s2:9093,3@kafka-s3:9093\"");
        }
        for (String bridge : new String[] {"vigil-bridge-s1", "vigil-bridge-s2"}) {
            assertThat(services.at("/" + bridge + "/command").toString())
                    .contains("\"--share-group\",\"vigil\"", "\"--client-id\",\"" + bridge + "\"");
        }
        for (String detector : new String[] {"vigil-detector-s1", "vigil-detector-s2", "vigil-detector-s3"}) {
            assertThat(services.at("/" + detector + "/command").toString())
                    .contains("\"--instance-id\",\"" + detector + "\"", "\"--standby-replicas\",\"1\"");
        }
    }

    @Test
    void everyTopicOfTheKindIsCreatedWithThePartitionsTheDetectorExpects() {
        // given the topic specs (topic:partitions) in kafka-init's command
        StringBuilder script = new StringBuilder();
        compose.at("/services/kafka-init/command").forEach(part -> script.append(part.asText()).append('\n'));
        Map<String, Integer> created = new TreeMap<>();
        Matcher m = TOPIC_SPEC.matcher(script.substring(script.indexOf("for spec in")));
        while (m.find() && m.group(1).startsWith("vigil.")) {
            created.put(m.group(1), Integer.parseInt(m.group(2)));
        }

        // then every topic of the vibration topology, with the bridge's (and so the detector's) partition count
        int partitions = Bridge.Builder.DEFAULT_PARTITIONS;
        assertThat(created).isEqualTo(Map.of(
                VIBRATION.kafka().readings(), partitions,
                VIBRATION.kafka().scores(), partitions,
                VIBRATION.kafka().alerts(), partitions,
                VIBRATION.kafka().deadLetter(), partitions));
        assertThat(compose.at("/services/kafka/environment/KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
    }

    @Test
    void topicsAreCreatedWithTheSettingsVigilCreatesThemWith() {
        // given kafka-init's script
        StringBuilder script = new StringBuilder();
        compose.at("/services/kafka-init/command").forEach(part -> script.append(part.asText()).append('\n'));

        // then each topic gets every setting of Topics.CONFIG (how far ahead a record's timestamp may be)
        Topics.CONFIG.forEach((key, value) -> assertThat(script).contains("--config " + key + "=" + value));
    }

    @Test
    void bridgeKeepsOneClientIdAcrossContainerRecreation() {
        assertThat(compose.at("/services/vigil-bridge/command").toString()).contains("\"--client-id\",\"vigil-bridge-1\"");
    }

    @Test
    void detectorScalesWithoutEditing() {
        // given `docker compose up --scale vigil-detector=N`: replicas cannot share a container name, a host
        // port or a static membership id
        JsonNode detector = compose.at("/services/vigil-detector");

        assertThat(detector.has("container_name")).as("container_name").isFalse();
        assertThat(detector.path("ports")).extracting(JsonNode::asText).containsExactly("9402-9411:9402");
        assertThat(detector.path("command").toString()).doesNotContain("--instance-id");
        assertThat(detector.path("entrypoint")).extracting(JsonNode::asText)
                .anySatisfy(arg -> assertThat(arg).contains("--instance-id \"$$(hostname)\""));
    }

    @Test
    void vigilServicesStartAfterTheirDependenciesAreHealthyOrDone() {
        JsonNode services = compose.path("services");
        assertThat(services.fieldNames()).toIterable().contains("kafka", "kafka-init", "mosquitto", "prometheus",
                "alertmanager", "grafana", "vigil-train", "vigil-bridge", "vigil-detector", "vigil-simulator");
        services.fields().forEachRemaining(service -> service.getValue().path("depends_on").fields()
                .forEachRemaining(dependency -> {
                    String condition = dependency.getValue().path("condition").asText();
                    String expected = services.path(dependency.getKey()).has("healthcheck")
                            ? "service_healthy" : "service_completed_successfully";
                    assertThat(condition).as(service.getKey() + " -> " + dependency.getKey()).isEqualTo(expected);
                }));
        for (String longRunning : new String[] {"kafka", "mosquitto", "prometheus", "alertmanager", "grafana",
                "vigil-bridge", "vigil-detector"}) {
            assertThat(services.path(longRunning).has("healthcheck")).as(longRunning + " has a healthcheck").isTrue();
        }
    }

    @Test
    void bridgeDetectorAndSimulatorServeMetricsOnThePortsPrometheusScrapes() {
        assertThat(compose.at("/services/vigil-bridge/command").toString())
                .contains("\"--metrics-port\",\"" + BridgeCommand.DEFAULT_METRICS_PORT + "\"");
        assertThat(compose.at("/services/vigil-detector/command").toString())
                .contains("\"--metrics-port\",\"" + DetectCommand.DEFAULT_METRICS_PORT + "\"");
        assertThat(compose.at("/services/vigil-simulator/command").toString())
                .contains("\"--metrics-port\",\"" + SimulateCommand.DEFAULT_METRICS_PORT + "\"");
        assertThat(compose.at("/x-vigil/environment/VIGIL_METRICS_HOST").asText()).isEqualTo("0.0.0.0");
    }

    @Test
    void mountedConfigurationFilesExist() throws Exception {
        int mounts = 0;
        for (JsonNode volumes : compose.findValues("volumes")) {
            for (JsonNode volume : volumes) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") && !source.startsWith("./target/")) { // the jar is built, not committed
                    assertThat(Path.of(source)).as(volume.asText()).exists();
                    mounts++;
                }
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(8);
        assertThat(Files.readString(Path.of("grafana", "mosquitto.conf")))
                .contains("max_queued_messages 1000000", "persistence true", "persistence_location /mosquitto/data/");
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
