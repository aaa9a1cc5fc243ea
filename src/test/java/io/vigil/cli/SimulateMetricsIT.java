package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.embedded.MosquittoProcess;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.security.MqttSecurity;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.simulator.SimulatorMetrics;
import io.vigil.testkit.Mosquitto;
import io.vigil.testkit.RealBrokers;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil simulate} publishing to a real Mosquitto serves its meters on /metrics, with exact counts. */
@ExtendWith(RealBrokers.class)
class SimulateMetricsIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    @Mosquitto
    static MosquittoProcess mosquitto;
    static Path scenario;

    @BeforeAll
    static void writeScenario() throws IOException {
        // 3 devices at 100 Hz: 2 s are 600 samples, in 3 x 20 messages of 100 ms each
        scenario = Files.writeString(dir.resolve("three.yaml"), """
                name: three
                seed: 5
                topology: vibration
                devices: {count: 3, prefix: sim-}
                rateHz: 100
                durationSeconds: 2
                noiseStd: 0.05
                """);
    }

    @Test
    void aFinishedRunCountsEverySampleAndMessageItPublished() throws Exception {
        try (Telemetry telemetry = Telemetry.withoutLivePage();
             MetricsServer server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0, telemetry)) {
            // given a publisher counting into the served registry
            var publisher = new MqttFleetPublisher(VIBRATION, MqttSecurity.NONE, new SimulatorMetrics(telemetry.registry()));

            // when it publishes 2 s of the fleet as fast as the broker takes them
            publisher.publish(Fleet.of(ScenarioLoader.load(scenario)), new MqttFleetPublisher.Options(mosquitto.uri(),
                    0, 100, 1000, 2, 1_700_000_000_000L), Duration.ofSeconds(10), progress -> { });

            // then the scrape has exactly these simulator series
            assertThat(simulatorLines(get(server.url() + "/metrics"))).containsExactly(
                    "vigil_simulator_devices{kind=\"vibration\"} 3.0",
                    "vigil_simulator_inflight 0.0",
                    "vigil_simulator_messages_total{kind=\"vibration\"} 60.0",
                    "vigil_simulator_publish_errors_total{kind=\"vibration\"} 0.0",
                    "vigil_simulator_samples_total{kind=\"vibration\"} 600.0");
        }
    }

    @Test
    void simulateServesItsMetricsWhilePublishingAndStopsServingWhenStopped() throws Exception {
        // given simulate publishing for ten minutes in real time, metrics on a free port
        int port = freePort();
        StringWriter out = new StringWriter();
        Thread simulate = new Thread(() -> {
            CommandLine cli = Vigil.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            cli.execute("simulate", "--scenario", scenario.toString(), "--broker", mosquitto.uri(),
                    "--duration", "600", "--metrics-port", String.valueOf(port));
        }, "simulate-metrics-it");
        simulate.start();
        String metrics = "http://127.0.0.1:" + port + "/metrics";

        try {
            // when it has published for a while, then its scrape has the fleet and what went out so far
            await("simulator meters on " + metrics).atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(counter(get(metrics), "vigil_simulator_messages_total")).isGreaterThan(6));
            List<String> lines = simulatorLines(get(metrics));
            assertThat(lines).contains("vigil_simulator_devices{kind=\"vibration\"} 3.0",
                    "vigil_simulator_publish_errors_total{kind=\"vibration\"} 0.0");
            assertThat(lines).extracting(line -> line.substring(0, line.lastIndexOf(' '))).containsExactly(
                    "vigil_simulator_devices{kind=\"vibration\"}", "vigil_simulator_inflight",
                    "vigil_simulator_messages_total{kind=\"vibration\"}",
                    "vigil_simulator_publish_errors_total{kind=\"vibration\"}",
                    "vigil_simulator_samples_total{kind=\"vibration\"}");
        } finally {
            simulate.interrupt();
            simulate.join(Duration.ofSeconds(30).toMillis());
        }

        // and once stopped, nothing listens on its port any more
        assertThat(simulate.isAlive()).as(out.toString()).isFalse();
        assertThatThrownBy(() -> get(metrics)).isInstanceOf(ConnectException.class);
    }

    /** The simulator's sample lines of a scrape, sorted. */
    static List<String> simulatorLines(String scrape) {
        return Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith("vigil_simulator_")).sorted().toList();
    }

    static double counter(String scrape, String name) {
        return simulatorLines(scrape).stream().filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
