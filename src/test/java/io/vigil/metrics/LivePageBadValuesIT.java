package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page in headless Chromium keeps rendering when {@code /api/live} carries something other
 * than a finite number where a number belongs (issue 15: a "NaN" string stopped the page with
 * {@code x.toPrecision is not a function}, leaving the alert list empty).
 */
class LivePageBadValuesIT {

    @Test
    void valuesThatAreNotFiniteNumbersShowAsDashesAndThePageKeepsRendering(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium)");

        // given a board whose alert note carries NaN and infinity (JSON writes them as the strings "NaN", "Infinity")
        try (Telemetry telemetry = Telemetry.create();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, telemetry)) {
            LiveBoard board = telemetry.board();
            board.scored("vibration", "bearing-01", 0.2, 0.5, 1_000, 1_100);
            board.alert("vibration", "bearing-07", true, new LiveBoard.AlertNote("vibration", "bearing-07",
                    "bearing-07@1000", "RAISED", "CRITICAL", Double.NaN, Double.POSITIVE_INFINITY, 1_200));

            // when the page renders it
            try (HeadlessChromium browser = HeadlessChromium.open(chromium.get(), dir.resolve("chromium"),
                    server.url() + "/")) {
                JsonNode shown = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .until(() -> browser.evaluate("""
                                ({devices: [...document.querySelectorAll('#devices tr[data-device]')]
                                     .map(tr => tr.dataset.device + ' ' + tr.dataset.state).join(', '),
                                  alerts: [...document.querySelectorAll('#alerts li[data-alert]')]
                                     .map(li => li.textContent).join(', ')})
                                """), page -> !page.get("alerts").asText().isEmpty());

                // then both devices and the alert are listed, the bad numbers as dashes
                assertThat(shown.get("devices").asText()).isEqualTo("bearing-01 normal, bearing-07 alert");
                assertThat(shown.get("alerts").asText()).contains("bearing-07").contains("peak – / threshold –");
            }
        }
    }
}
