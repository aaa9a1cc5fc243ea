package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards as Grafana loads them: provisioned from files, one Prometheus datasource by uid,
 * every panel with a query. (That each query names only exported metrics is checked against a real
 * scrape in {@link ObservabilityIT}.)
 */
class DashboardsTest {

    static final Path GRAFANA = Path.of("grafana");
    final ObjectMapper json = new ObjectMapper();
    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void threeDashboardsWithUniqueUidsOnTheProvisionedDatasource() throws IOException {
        String datasourceUid = yaml.readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yaml").toFile())
                .at("/datasources/0/uid").asText();
        Set<String> uids = new HashSet<>();
        List<Path> files = dashboardFiles();

        for (Path file : files) {
            JsonNode dashboard = json.readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as(file + " uid is unique").isTrue();
            for (JsonNode panel : Dashboards.panels(dashboard)) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(panel.at("/datasource/uid").asText()).as(where).isEqualTo(datasourceUid);
                assertThat(panel.path("targets")).as(where + " has a query").isNotEmpty();
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(where).isNotBlank());
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where + " fits 24 columns")
                        .isLessThanOrEqualTo(24);
            }
        }

        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("bearing-monitoring.json", "drive-fleet.json", "pipeline-health.json");
        assertThat(uids).containsExactlyInAnyOrder("vigil-bearings", "vigil-drives", "vigil-pipeline");
    }

    @Test
    void dashboardProviderLoadsTheFolderComposeMounts() throws IOException {
        JsonNode provider = yaml.readTree(GRAFANA.resolve("provisioning/dashboards/vigil.yaml").toFile())
                .at("/providers/0");

        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(Files.readString(Path.of("docker-compose.yml")))
                .contains("./grafana/dashboards:" + provider.at("/options/path").asText() + ":ro");
    }

    @Test
    void bearingDashboardShowsScoreAgainstThresholdAndTheAlertTimeline() throws IOException {
        JsonNode bearing = json.readTree(GRAFANA.resolve("dashboards/bearing-monitoring.json").toFile());

        List<String> exprs = Dashboards.expressions(bearing);

        assertThat(String.join("\n", exprs)).contains("vigil_device_score", "vigil_device_threshold",
                "vigil_device_alert", "vigil_detector_alerts_active");
        assertThat(Dashboards.panels(bearing)).extracting(p -> p.path("type").asText()).contains("state-timeline");
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
