package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Telemetry telemetry;
    private MetricsServer server;

    @BeforeEach
    void start() {
        telemetry = Telemetry.create(2);
        server = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0, telemetry);
    }

    @AfterEach
    void stop() {
        server.close();
        telemetry.close();
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void metricsAreThePrometheusScrapeWithTheJvmBinders() throws Exception {
        // given a domain meter
        telemetry.registry().counter("vigil.test.events", "kind", "vibration").increment(3);

        // when
        HttpResponse<String> response = get("/metrics");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
        assertThat(response.body())
                .contains("vigil_test_events_total{kind=\"vibration\"} 3.0")
                .contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "system_cpu_count",
                        "process_uptime_seconds", "jvm_classes_loaded_classes");
    }

    @Test
    void livePageIsOneSelfContainedHtmlFile() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("<tbody id=\"devices\">", "fetch(\"api/live\"")
                .doesNotContain("src=\"http", "href=\"http", "//cdn");
    }

    @Test
    void aProcessWithoutABoardPointsToTheDetectorsLivePageInsteadOfAnEmptyOne() throws Exception {
        // given a server of a process that scores no devices, as the bridge's
        try (Telemetry bridge = Telemetry.withoutLivePage();
             MetricsServer bridgeServer = MetricsServer.start(MetricsServer.DEFAULT_HOST, 0, bridge)) {

            // when
            HttpResponse<String> page = get(bridgeServer, "/");
            HttpResponse<String> live = get(bridgeServer, "/api/live");
            HttpResponse<String> metrics = get(bridgeServer, "/metrics");

            // then
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo(MetricsServer.NO_LIVE_PAGE);
            assertThat(live.statusCode()).isEqualTo(404);
            assertThat(metrics.body()).contains("jvm_threads_live_threads").doesNotContain(LiveBoard.DEVICES_OVER_CAP.replace('.', '_'));
        }
    }

    @Test
    void liveJsonListsTrackedDevicesAndRecentAlertsUpToTheCap() throws Exception {
        // given three devices on a board capped at two, one of them in alert
        LiveBoard board = telemetry.board();
        board.scored("vibration", "bearing-01", 0.5, 1.0, 1_000, 2_000);
        board.scored("vibration", "bearing-02", 3.0, 1.0, 1_000, 2_000);
        board.scored("vibration", "bearing-03", 0.1, 1.0, 1_000, 2_000);
        board.alert("vibration", "bearing-02", true, new LiveBoard.AlertNote("vibration", "bearing-02",
                "bearing-02@0", "RAISED", "CRITICAL", 3.0, 1.0, 2_500));

        // when
        JsonNode live = new ObjectMapper().readTree(get("/api/live").body());

        // then
        assertThat(live.get("deviceCap").asInt()).isEqualTo(2);
        assertThat(live.get("devicesOverCap").asLong()).isEqualTo(1);
        assertThat(live.get("devices")).hasSize(2);
        JsonNode second = live.get("devices").get(1);
        assertThat(second.get("device").asText()).isEqualTo("bearing-02");
        assertThat(second.get("alert").asBoolean()).isTrue();
        assertThat(second.get("alertSinceMs").asLong()).isEqualTo(2_500);
        assertThat(second.get("score").asDouble()).isEqualTo(3.0);
        assertThat(live.get("alerts").get(0).get("alertId").asText()).isEqualTo("bearing-02@0");
    }

    @Test
    void unknownPathsAre404AndWritesAre405() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/health").body()).isEqualTo("ok\n");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(server, path);
    }

    private HttpResponse<String> get(MetricsServer from, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(from.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
