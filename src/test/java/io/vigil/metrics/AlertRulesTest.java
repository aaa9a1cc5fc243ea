package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.testkit.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules of docker-compose.yml's Prometheus: valid, passing their promtool unit tests, each
 * alert tested firing, with a severity Alertmanager routes, loaded by grafana/prometheus.yml.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("grafana", "alerts.yml");
    static final Path RULE_TESTS = Path.of("grafana", "alerts.test.yml");
    /** The receivers of grafana/alertmanager.yml, one per severity. */
    static final Set<String> SEVERITIES = Set.of("page", "ticket");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        ExternalTool promtool = promtool();

        ExternalTool.Result result = promtool.run("check", "rules", RULES.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() throws Exception {
        ExternalTool promtool = promtool();

        ExternalTool.Result result = promtool.run("test", "rules", RULE_TESTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasARoutedSeverityAndAUnitTestInWhichItFires() {
        // given every alerting rule and the alerts its unit tests expect to fire
        Map<String, String> severities = alertSeverities();
        Set<String> testedFiring = new TreeSet<>();
        for (JsonNode test : read(RULE_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    testedFiring.add(check.path("alertname").asText());
                }
            }
        }

        // then the alerts the deployment promises are there, each routed and shown firing by a test
        assertThat(severities.keySet()).containsExactlyInAnyOrder("VigilDeviceInAlert", "VigilDeviceSilent",
                "VigilConsumerLagGrowing", "VigilDeadLettersRising", "VigilBridgeInFlightAtMaximum",
                "VigilInstanceDown");
        assertThat(severities.values()).allSatisfy(severity -> assertThat(SEVERITIES).contains(severity));
        assertThat(testedFiring).isEqualTo(severities.keySet());
        assertThat(read(RULE_TESTS).path("rule_files").get(0).asText()).isEqualTo(RULES.getFileName().toString());
    }

    @Test
    void prometheusLoadsTheRulesWhereComposeMountsThemAndAlertsComposesAlertmanager() {
        JsonNode prometheus = read(PrometheusConfigTest.CONFIG);
        JsonNode compose = read(ComposeFileTest.COMPOSE);

        // rule_files are relative to prometheus.yml, which compose mounts at /etc/prometheus
        assertThat(prometheus.path("rule_files").toString()).isEqualTo("[\"alerts.yml\"]");
        assertThat(compose.at("/services/prometheus/volumes").toString()).contains(
                "./grafana/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./grafana/alerts.yml:/etc/prometheus/alerts.yml:ro");
        // and the alerts go to the compose service on the port it publishes
        assertThat(prometheus.at("/alerting/alertmanagers/0/static_configs/0/targets").toString())
                .isEqualTo("[\"alertmanager:9093\"]");
        assertThat(compose.at("/services/alertmanager/ports").toString()).contains("9093:9093");
        assertThat(compose.at("/services/alertmanager/volumes").toString())
                .contains("./grafana/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro");
    }

    /** Alert name → its severity label, for every alerting rule of {@link #RULES}. */
    static Map<String, String> alertSeverities() {
        Map<String, String> severities = new TreeMap<>();
        for (JsonNode group : read(RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    severities.put(rule.path("alert").asText(), rule.at("/labels/severity").asText());
                }
            }
        }
        return severities;
    }

    /** Every PromQL expression of {@link #RULES}: recording and alerting rules. */
    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        read(RULES).path("groups").forEach(group -> group.path("rules").forEach(rule -> exprs.add(rule.path("expr").asText())));
        return exprs;
    }

    /** The names the recording rules of {@link #RULES} define. */
    static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        read(RULES).path("groups").forEach(group -> group.path("rules").forEach(rule -> {
            if (rule.has("record")) {
                names.add(rule.path("record").asText());
            }
        }));
        return names;
    }

    private static ExternalTool promtool() {
        Optional<ExternalTool> promtool = ExternalTool.onPath("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus)");
        return promtool.get();
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
