package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.pipeline.ModelCache;
import io.vigil.embedded.FreePorts;
import io.vigil.model.Trainer;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil demo} end to end, in this JVM through {@link Vigil#commandLine()}: embedded Kafka, the
 * embedded HiveMQ broker the demo uses (PipelineIT prefers mosquitto), the bridge, the detector and the
 * demo fleet of {@code simulator/demo.yaml} at full speed, with its console output captured. In-process
 * rather than through the jar: the demo prints to {@link System#out}, which the test can capture, and
 * a child process would need {@code mvn package} first.
 */
class DemoIT {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    /** The demo's own training budget, cached across runs of this test; {@code mvn clean} retrains it. */
    static final Path MODEL = Path.of("target", "demo-it", "vibration.zip").toAbsolutePath();
    /**
     * Seconds the demo runs before it stops itself: 300 s of sensor time for 20 bearings (600,000 samples)
     * published as fast as HiveMQ takes them and scored, on two shared cores, with room to spare (measured
     * on a busy machine: fleet done 10 s and both alerts raised 22 s after the fleet started). The first run
     * also trains the model, about 90 s more.
     */
    static final String DURATION_SECONDS = "150";
    /** An alert line as the demo prints it: {@code 12:00:01 RAISED  bearing-07     HIGH ...}. */
    static final Pattern ALERT_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (RAISED|CLEARED)\\s+(\\S+)\\s");
    static final Pattern KAFKA_UP = Pattern.compile("Kafka: embedded KRaft broker [^:\\s]+:(\\d+) up");
    static final Pattern MQTT_UP = Pattern.compile("MQTT: EmbeddedMqtt tcp://[^:\\s]+:(\\d+) up");

    @Test
    void demoRaisesExactlyTheTwoFaultyBearingsAndStopsCleanly(@TempDir Path dir) throws Exception {
        // given the demo's topology pointing at a model trained with the demo's budget, so the demo does not train
        Path topologies = topologiesWithModel(dir);
        ModelCache.ensure(VIBRATION, MODEL, ModelCache.HEALTHY_SCENARIO, ModelCache.demoSettings(VIBRATION),
                Trainer.Progress.NONE, line -> System.out.println("DemoIT: " + line));
        int metricsPort = FreePorts.pick();

        // when the demo runs the demo fleet at full speed on its embedded brokers until --duration
        long began = System.nanoTime();
        Run run = runDemo("demo", "--speed", "0", "--duration", DURATION_SECONDS, "--plain",
                "--topologies", topologies.toString(), "--metrics-port", String.valueOf(metricsPort));
        System.out.printf("DemoIT: demo ran %.0f s, exit %d%n", (System.nanoTime() - began) / 1e9, run.exit());
        List<String> lines = run.stdout().lines().toList();

        // then it exits 0, having published the whole fleet and stopped everything it started
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(lines).anyMatch(l -> l.startsWith("Fleet: done, 600000 samples"));
        assertThat(lines).anyMatch(l -> l.endsWith("] Stopped."));
        assertThat(lines).noneMatch(l -> l.startsWith("Detector stopped") || l.startsWith("Fleet failed"));
        int kafkaPort = port(lines, KAFKA_UP);
        int mqttPort = port(lines, MQTT_UP);
        assertThat(List.of(kafkaPort, mqttPort, metricsPort)).as("Kafka, MQTT and metrics ports listening after exit")
                .noneMatch(DemoIT::listening);

        // and exactly the two faulty bearings were raised, each once, and nothing else alerted
        assertThat(alerts(lines)).containsExactlyInAnyOrder(
                tuple("RAISED", "bearing-07"),
                tuple("RAISED", "bearing-15"));
    }

    /** A copy of the shipped topologies whose vibration model is {@link #MODEL}. */
    private static Path topologiesWithModel(Path dir) throws IOException {
        Path topologies = Files.createDirectories(dir.resolve("topologies"));
        String yaml = Files.readString(SensorKindLoader.DEFAULT_DIR.resolve("vibration.yaml"));
        String pointed = yaml.replace("model: models/vibration.zip", "model: " + MODEL);
        assertThat(pointed).as("vibration.yaml names its model").isNotEqualTo(yaml);
        Files.writeString(topologies.resolve("vibration.yaml"), pointed);
        return topologies;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    /**
     * Runs the command with {@link System#out} copied into a buffer (the demo prints there) and echoed,
     * and restores Vigil's log level, which the demo turns down for its own console.
     */
    private static Run runDemo(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");
        var level = logger.getLevel();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            picocli.CommandLine cli = Vigil.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
            logger.setLevel(level);
        }
    }

    private static List<Tuple> alerts(List<String> lines) {
        return lines.stream().map(ALERT_LINE::matcher).filter(Matcher::find)
                .map(m -> tuple(m.group(1), m.group(2))).toList();
    }

    private static int port(List<String> lines, Pattern pattern) {
        return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst()
                .map(m -> Integer.parseInt(m.group(1)))
                .orElseThrow(() -> new AssertionError("no line matches " + pattern));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Writes to two streams: the console and the buffer under test. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
