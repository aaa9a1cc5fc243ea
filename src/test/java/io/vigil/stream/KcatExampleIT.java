package io.vigil.stream;

import static io.vigil.stream.Fixtures.FAULTY;
import static io.vigil.stream.Fixtures.HEALTHY;
import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.Topics;
import io.vigil.testkit.ExternalTool;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.RealBrokers;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.testkit.TopicReader;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's kcat example, run verbatim: against a real broker on which the detector raised and
 * cleared an alert, it prints exactly the alert events a Java consumer reads, key and JSON value.
 */
@ExtendWith(RealBrokers.class)
class KcatExampleIT {

    static final Path README = Path.of("README.md");
    static final String SECTION = "### Alert events with kcat";
    static final String DEVICE = "bearing-07";
    static final Duration SETTLES = Duration.ofSeconds(90);

    @Test
    void theReadmesKcatCommandPrintsTheAlertEventsTheDetectorPublished(@TempDir Path dir, @Kafka EmbeddedKafka kafka) throws Exception {
        assumeTrue(ExternalTool.onPath("kcat").isPresent(), "kcat is not installed (Debian package kcat)");
        String example = readmeExample();
        // the topic the example names is the one the shipped vibration kind (and compose) alerts on
        String alerts = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration").kafka().alerts();
        assertThat(example).startsWith("kcat ").contains(" -t " + alerts + " ");

        // given a detector that raises an alert for a device and clears it (5 windows over threshold, then 4 under)
        SensorKind kind = Fixtures.vibration(Fixtures.THRESHOLD);
        assertThat(kind.kafka().alerts()).isEqualTo(alerts);
        List<Map.Entry<String, SampleBatch>> readings = List.of(
                Map.entry(DEVICE, batch(0, repeat(FAULTY, 10))),
                Map.entry(DEVICE, batch(10, repeat(HEALTHY, 10))),
                Map.entry("bearing-01", batch(0, repeat(HEALTHY, 20))));
        String bootstrap = kafka.bootstrapServers();
        Topics.ensureAll(bootstrap, List.of(kind));
        try (InProcessDetector detector = InProcessDetector.start(bootstrap, kind, "kcat-example-it",
                dir.resolve("state"))) {
            InProcessDetector.send(bootstrap, kind.kafka().readings(), readings);
            TopicReader.await(bootstrap, alerts, r -> true, 2, SETTLES);
        }
        List<ConsumerRecord<String, byte[]>> published = TopicReader.committed(bootstrap, alerts, SETTLES);

        // when the README's command runs, as an operator pastes it, with the broker in VIGIL_KAFKA_BOOTSTRAP
        List<String> printed = runInBash(example, bootstrap, dir);

        // then it prints each alert event, key then JSON value, as the Java consumer read them
        List<String> expected = new ArrayList<>();
        List<String> states = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : published) {
            String json = new String(record.value(), StandardCharsets.UTF_8);
            expected.add(record.key() + " " + json);
            states.add(new ObjectMapper().readTree(json).path("state").asText());
        }
        assertThat(states).containsExactly("RAISED", "CLEARED");
        assertThat(printed).isEqualTo(expected);
    }

    /** The first bash block under {@link #SECTION} in the README, without its fences. */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n" + SECTION + "\n");
        assertThat(section).as("README has a section " + SECTION).isPositive();
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end);
    }

    /** Runs {@code script} with bash (errexit, pipefail) and returns its standard output's lines. */
    private static List<String> runInBash(String script, String bootstrap, Path dir) throws Exception {
        Path stderr = dir.resolve("kcat.stderr");
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .redirectError(stderr.toFile());
        builder.environment().put("VIGIL_KAFKA_BOOTSTRAP", bootstrap);
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat exits once it has read every partition").isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        return stdout.lines().toList();
    }
}
