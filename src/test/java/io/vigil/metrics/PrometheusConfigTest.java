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
import io.vigil.cli.ReplayCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Prometheus configuration of docker-compose.yml: valid for promtool, scraping the right ports. */
class PrometheusConfigTest {

    static final Path CONFIG = Path.of("grafana", "prometheus.yml");

    @Test
    void promtoolAcceptsTheConfig() throws Exception {
        Optional<ExternalTool> promtool = ExternalTool.onPath("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus)");

        ExternalTool.Result result = promtool.get().run("check", "config", CONFIG.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void bridgeEveryDetectorSimulatorAndReplayAreScrapedOnTheirDefaultMetricsPorts() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(CONFIG.toFile());

        List<String> targets = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                staticConfig.path("targets").forEach(t -> targets.add(job.path("job_name").asText() + " " + t.asText()));
            }
        }

        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode dns : job.path("dns_sd_configs")) {
                dns.path("names").forEach(n -> targets.add(job.path("job_name").asText() + " dns " + n.asText()
                        + ":" + dns.path("port").asText()));
            }
        }

        assertThat(targets).contains(
                "vigil-bridge vigil-bridge:" + BridgeCommand.DEFAULT_METRICS_PORT,
                // every replica of `docker compose up --scale vigil-detector=N`, found by the service name
                "vigil-detector dns vigil-detector:" + DetectCommand.DEFAULT_METRICS_PORT,
                "vigil-simulator vigil-simulator:" + SimulateCommand.DEFAULT_METRICS_PORT,
                "vigil-replay host.docker.internal:" + ReplayCommand.DEFAULT_METRICS_PORT);
        assertThat(config.path("global").path("scrape_interval").asText()).isEqualTo("5s");
    }
}
