package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.testkit.ExternalTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docker-compose.yml's Alertmanager: a valid configuration that routes every Vigil alert by its severity. */
class AlertmanagerConfigTest {

    static final Path CONFIG = Path.of("grafana", "alertmanager.yml");

    @Test
    void amtoolAcceptsTheConfig() throws Exception {
        ExternalTool amtool = amtool();

        ExternalTool.Result result = amtool.run("check-config", CONFIG.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS", "2 receivers", "1 inhibit rules");
    }

    @Test
    void everyAlertOfTheRulesReachesTheReceiverOfItsSeverity() throws Exception {
        ExternalTool amtool = amtool();

        for (Map.Entry<String, String> alert : AlertRulesTest.alertSeverities().entrySet()) {
            // --verify.receivers makes amtool exit 1 when the route ends elsewhere
            ExternalTool.Result result = routesTest(amtool, alert.getValue(), "alertname=" + alert.getKey(),
                    "severity=" + alert.getValue(), "kind=vibration", "device=bearing-07");

            assertThat(result.exitCode()).as(alert.getKey() + ": " + result.output()).isZero();
            assertThat(lastLine(result.output())).as(alert.getKey()).isEqualTo(alert.getValue());
        }
    }

    @Test
    void anAlertWithoutAKnownSeverityBecomesATicketAndAPageNeverDoes() throws Exception {
        ExternalTool amtool = amtool();

        ExternalTool.Result unknown = routesTest(amtool, "ticket", "alertname=SomethingElse", "severity=critical");
        ExternalTool.Result ticketAsPage = routesTest(amtool, "page", "alertname=VigilDeviceSilent", "severity=ticket");

        assertThat(unknown.exitCode()).as(unknown.output()).isZero();
        assertThat(ticketAsPage.exitCode()).as("a ticket routed to page: " + ticketAsPage.output()).isNotZero();
    }

    @Test
    void aDownInstanceInhibitsTheSilentDeviceTicketsNamedInTheRules() throws Exception {
        // amtool has no offline test of inhibitions: check that the rule names alerts the rules define
        JsonNode inhibit = new ObjectMapper(new YAMLFactory()).readTree(CONFIG.toFile()).path("inhibit_rules");

        assertThat(inhibit).hasSize(1);
        assertThat(inhibit.at("/0/source_matchers/0").asText()).isEqualTo("alertname=\"VigilInstanceDown\"");
        assertThat(inhibit.at("/0/target_matchers/0").asText()).isEqualTo("alertname=\"VigilDeviceSilent\"");
        assertThat(AlertRulesTest.alertSeverities()).containsKeys("VigilInstanceDown", "VigilDeviceSilent");
    }

    private static ExternalTool.Result routesTest(ExternalTool amtool, String expectedReceiver, String... labels)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG,
                "--verify.receivers=" + expectedReceiver));
        args.addAll(List.of(labels));
        return amtool.run(args.toArray(String[]::new));
    }

    /** amtool prints warnings about the Alertmanager URL first; the receivers come last. */
    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static ExternalTool amtool() {
        Optional<ExternalTool> amtool = ExternalTool.onPath("amtool");
        assumeTrue(amtool.isPresent(), "amtool is not installed (Debian package prometheus-alertmanager)");
        return amtool.get();
    }
}
