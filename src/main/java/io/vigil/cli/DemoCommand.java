package io.vigil.cli;

import ch.qos.logback.classic.Level;
import io.vigil.demo.ConsoleView;
import io.vigil.demo.EventTail;
import io.vigil.pipeline.FleetRun;
import io.vigil.pipeline.ModelCache;
import io.vigil.pipeline.Pipeline;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.simulator.FaultSchedule;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.stream.DetectorSettings;
import io.vigil.kind.SensorKind;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the whole pipeline in one process on embedded brokers (or external ones), a
 * simulated bearing fleet with two sudden faults, and a live console of scores and alerts.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        header = "Run the whole pipeline on in-process brokers with a simulated fleet that fails, and show it live.",
        description = {
                "One command, no infrastructure: starts Kafka (KRaft) and an MQTT 5 broker in-process, trains and caches",
                "the vibration model if models/vibration.zip is missing, then runs bridge, detector and a simulated fleet",
                "(20 bearings at 100 Hz, bearing-07 and bearing-15 fail a minute in) and shows scores and alerts live.",
                "Ctrl-C stops everything cleanly."},
        footer = {"", "Examples:",
                "  vigil demo",
                "  vigil demo --speed 5 --duration 60",
                "  vigil demo --broker tcp://localhost:1883 --bootstrap localhost:9092"})
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    @Option(names = "--scenario", defaultValue = "simulator/demo.yaml", paramLabel = "FILE",
            description = "Fleet to simulate (default: ${DEFAULT-VALUE}); its topology is the one sensor kind the demo runs.")
    Path scenarioFile;

    @Mixin
    SpeedOption speed;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Double duration;

    @Mixin
    ExternalBrokerOptions external;

    @Mixin
    TopologiesOption topologies;

    @Option(names = "--train-data", defaultValue = "simulator/healthy.yaml", paramLabel = "FILE",
            description = "Healthy scenario the model is trained on when it is missing (default: ${DEFAULT-VALUE}).")
    Path trainData;

    @Option(names = "--refresh", defaultValue = "2", paramLabel = "SECONDS",
            description = "Seconds between redraws of the device table (default: ${DEFAULT-VALUE}).")
    double refresh;

    @Option(names = "--plain", description = "Print the table again on every refresh instead of redrawing the screen"
            + " (automatic when stdout is not a terminal).")
    boolean plain;

    @Mixin
    VerboseOption verbose; // Vigil's INFO logs: the demo prints its own steps, which they would bury

    /** Default port of the demo's metrics server and live page. */
    public static final int DEFAULT_METRICS_PORT = 9400;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    DeviceSeriesCapOption deviceSeriesCap;

    private final long began = System.nanoTime();

    @Override
    public Integer call() throws Exception {
        if (speed.factor < 0 || !(refresh > 0) || (duration != null && !(duration > 0))) {
            throw new UsageException("--speed must be >= 0, --refresh and --duration positive");
        }
        deviceSeriesCap.validate();
        verbose.quiet("io.vigil", Level.WARN);
        PrintStream out = System.out;
        Scenario scenario = ScenarioLoader.load(scenarioFile);
        SensorKind kind = topologies.load(scenario.topology());
        Consumer<String> steps = line -> step(out, line);
        step(out, String.format(Locale.ROOT, "Vigil demo: %s, %d devices at %.0f Hz, kind %s", scenarioFile,
                scenario.deviceCount(), scenario.rateHz(), kind.name()));
        PrintWriter epochs = new PrintWriter(out, true);
        ModelCache.ensure(kind, kind.modelPath(), trainData, ModelCache.demoSettings(kind),
                report -> Console.epoch(epochs, report), steps);

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped, Duration.ofSeconds(60));
        }, "vigil-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Telemetry telemetry = deviceSeriesCap.telemetry();
             MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT);
             Pipeline pipeline = Pipeline.builder()
                .externalKafka(external.kafka())
                .externalMqtt(external.mqtt())
                .kinds(List.of(kind))
                .applicationId("vigil-demo")
                .bridgeClientId("vigil-demo-bridge-" + ProcessHandle.current().pid())
                .metrics(telemetry.registry())
                .detectorSettings(registry -> new DetectorSettings(DetectorSettings.DEFAULT_BATCH_SIZE,
                        DetectorSettings.DEFAULT_FLUSH_INTERVAL, registry, telemetry.board()))
                .steps(steps)
                .start()) {
            if (server != null) {
                step(out, "Live page " + server.url() + "/  ·  Prometheus metrics " + server.url() + "/metrics");
            }
            return run(pipeline, scenario, kind, out, stop);
        } finally {
            step(out, "Stopped.");
            stopped.countDown();
            removeHook(hook);
        }
    }

    /** Runs the fleet and the live view until Ctrl-C, --duration or a failed detector; closes them in reverse. */
    private int run(Pipeline pipeline, Scenario scenario, SensorKind kind, PrintStream out, CountDownLatch stop)
            throws InterruptedException {
        boolean ansi = !plain && System.console() != null;
        ConsoleView view = new ConsoleView(out, ansi, "Vigil demo (" + scenario.name() + ")");
        boolean externalKafka = external.kafka() != null; // resume at the end, not at old history
        long startMs = MqttFleetPublisher.startFor(System.currentTimeMillis(), scenario.durationSeconds(), speed.factor);
        step(out, describeFleet(scenario, startMs));
        int[] exit = {0};
        try (EventTail tail = EventTail.start(pipeline.bootstrapServers(), pipeline.kinds(),
                externalKafka ? EventTail.From.END : EventTail.From.BEGINNING, view);
             FleetRun fleet = FleetRun.start(Fleet.of(scenario), kind, pipeline.mqttUri(), speed.factor, FleetRun.BATCH_MS,
                     scenario.durationSeconds(), startMs, PROGRESS_EVERY, p -> { })) {
            fleet.done().whenComplete((done, error) -> {
                if (error != null && !(error instanceof java.util.concurrent.CancellationException)) {
                    view.note("Fleet failed: " + error.getMessage());
                    exit[0] = 1;
                    stop.countDown();
                } else if (done != null) {
                    view.note(String.format(Locale.ROOT, "Fleet: done, %d samples in %d messages (%.0f s simulated);"
                            + " Ctrl-C to stop", done.samples(), done.messages(), done.simulatedSeconds()));
                }
            });
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vigil-demo-view");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> {
                view.render();
                if (pipeline.detectorState() == KafkaStreams.State.ERROR
                        || pipeline.detectorState() == KafkaStreams.State.NOT_RUNNING) {
                    view.note("Detector stopped (" + pipeline.detectorState() + "); see the log above.");
                    exit[0] = 1;
                    stop.countDown();
                }
            }, (long) (refresh * 1000), (long) (refresh * 1000), TimeUnit.MILLISECONDS);
            try {
                if (duration == null) {
                    stop.await();
                } else {
                    stop.await((long) (duration * 1000), TimeUnit.MILLISECONDS);
                }
            } finally {
                ticker.shutdownNow();
                view.render();
                step(out, "Stopping: fleet, event tail, detector, bridge, brokers ...");
            }
        }
        return exit[0];
    }

    private static String describeFleet(Scenario scenario, long startMs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Fleet: %d x %s publishing %.0f s of sensor time", scenario.deviceCount(), scenario.idPrefix() + "NN",
                scenario.durationSeconds()));
        for (Scenario.DeviceFault fault : scenario.faults()) {
            s.append("; ").append(String.join(", ", fault.devices())).append(' ').append(describe(fault.schedule()));
        }
        return s.toString();
    }

    private static String describe(FaultSchedule schedule) {
        if (schedule instanceof FaultSchedule.Sudden s) {
            return String.format(Locale.ROOT, "fail suddenly at %.0f s", s.at());
        }
        if (schedule instanceof FaultSchedule.Gradual g) {
            return String.format(Locale.ROOT, "wear from %.0f s over %.0f s", g.start(), g.duration());
        }
        if (schedule instanceof FaultSchedule.Intermittent i) {
            return String.format(Locale.ROOT, "fail for %.0f s of every %.0f s from %.0f s", i.burst(), i.period(),
                    i.start());
        }
        return "stay healthy";
    }

    private void step(PrintStream out, String line) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - began) / 1e9, line);
        out.flush();
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for us to finish
        }
    }
}
