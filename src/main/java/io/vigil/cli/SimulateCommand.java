package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.FleetCsvWriter;
import io.vigil.simulator.MqttFleetPublisher;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.simulator.SimulatorMetrics;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import io.vigil.security.MqttSecurity;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil simulate}: a Lorenz bearing fleet from a scenario file, to a CSV file or to an MQTT broker. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        header = "Simulate a fleet of bearings (Lorenz model, healthy and faulty states) from a scenario file.",
        description = {
                "Writes the generic CSV (ts,device,<features>,label) with --out, or publishes batched JSON over "
                        + "MQTT v5 (QoS 1, topic <topology prefix>/<device>) with --broker; --speed, --batch-ms and "
                        + "--max-in-flight shape publishing only.",
                "Without --start-ms a fast run starts early enough that no sample is stamped more than the bridge's "
                        + "15 min ahead of the clock."},
        footer = {
                "",
                "Examples:",
                "  vigil simulate --scenario simulator/demo.yaml --out demo.csv",
                "  vigil simulate --scenario simulator/faults.yaml --out faults.csv --duration 120 --start-ms 1700000000000",
                "  vigil simulate --scenario simulator/demo.yaml --broker tcp://localhost:1883 --speed 10",
                "",
                "Scenario files live in simulator/ (demo, healthy, faults); see README for the format."})
public final class SimulateCommand implements Callable<Integer> {

    /** Environment variable that supplies --broker when it is not given. */
    public static final String BROKER_ENV = "VIGIL_MQTT_BROKER";
    /** Lorenz produces x, y, z: a topology must have exactly this many features. */
    static final int LORENZ_FEATURES = 3;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "Scenario YAML, e.g. simulator/demo.yaml.")
    Path scenarioFile;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the fleet as CSV to FILE.")
    Path out;

    @Mixin
    MqttSecurityOptions mqttSecurity;

    /** Default port of the simulator's metrics server (MQTT only: a CSV run serves nothing). */
    public static final int DEFAULT_METRICS_PORT = 9403;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--broker", paramLabel = "URL",
            description = "Publish to this MQTT v5 broker, e.g. tcp://localhost:1883 (default: $" + BROKER_ENV + ").")
    String broker;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Simulated seconds (default: the scenario's durationSeconds).")
    Double duration;

    @Mixin
    StartMsOption startMs;

    @Mixin
    SpeedOption speed; // MQTT only

    @Mixin
    BatchMsOption batchMs; // MQTT only

    @Mixin
    MaxInFlightOption maxInFlight;

    @Override
    public Integer call() throws Exception {
        Scenario scenario = ScenarioLoader.load(scenarioFile);
        SensorKind kind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, scenario.topology());
        if (kind.featureCount() != LORENZ_FEATURES) {
            throw new ConfigException(scenarioFile + ": field 'topology': expected a topology with 3 features "
                    + "(the simulator produces x, y, z), got '" + kind.name() + "' with " + kind.features());
        }
        double seconds = duration == null ? scenario.durationSeconds() : duration;
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new UsageException("--duration must be a positive number of seconds, got " + duration);
        }
        long start = startMs.epochMs == null
                ? MqttFleetPublisher.startFor(System.currentTimeMillis(), seconds, speed.factor) : startMs.epochMs;
        String target = broker != null ? broker : System.getenv(BROKER_ENV);
        if (out != null && broker != null) {
            throw new UsageException("give either --out FILE or --broker URL, not both");
        }
        if (out != null) {
            return writeCsv(Fleet.of(scenario), kind, seconds, start);
        }
        if (target == null || target.isBlank()) {
            throw new UsageException("nowhere to send the fleet: give --out FILE or --broker URL (or set " + BROKER_ENV + ")");
        }
        return publish(Fleet.of(scenario), kind, target, seconds, start);
    }

    private int writeCsv(Fleet fleet, SensorKind kind, double seconds, long start) throws IOException {
        Scenario scenario = fleet.scenario();
        long samples = scenario.samplesIn(seconds);
        FleetCsvWriter csv = new FleetCsvWriter(kind.features(), kind.csv());
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, samples, scenario.rateHz());
        long began = System.nanoTime();
        long rows;
        try (Writer writer = Files.newBufferedWriter(out)) {
            rows = csv.write(fleet.start(start), samples, (int) Math.max(1, Math.round(scenario.rateHz())), writer,
                    progress::report);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw new UsageException(out + ": cannot write (" + e.getClass().getSimpleName() + ")");
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "simulate: wrote %d rows (%d devices x %d samples, %s) to %s in %.1f s%n",
                rows, scenario.deviceCount(), samples, scenario.name(), out, (System.nanoTime() - began) / 1e9);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int publish(Fleet fleet, SensorKind kind, String target, double seconds, long start)
            throws InterruptedException {
        if (speed.factor < 0 || batchMs.ms < 1 || maxInFlight.count < 1) {
            throw new UsageException("--speed must be >= 0, --batch-ms and --max-in-flight >= 1");
        }
        PrintWriter log = spec.commandLine().getOut();
        Scenario scenario = fleet.scenario();
        log.printf(Locale.ROOT, "simulate: %s, %d devices at %s Hz, %.0f s at speed %s -> %s %s<device>%n",
                scenario.name(), scenario.deviceCount(), scenario.rateHz(), seconds,
                speed.factor == 0 ? "max" : speed.factor, target, MqttFleetPublisher.topicPrefix(kind.mqttTopicFilter()));
        log.flush();
        MqttFleetPublisher.Options options = new MqttFleetPublisher.Options(target, speed.factor, batchMs.ms,
                maxInFlight.count,
                seconds, start);
        MqttSecurity security = mqttSecurity.security();
        try (Telemetry telemetry = Telemetry.withoutLivePage(); // the simulator scores no device
             MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT)) {
            var publisher = new MqttFleetPublisher(kind, security, new SimulatorMetrics(telemetry.registry()));
            MqttFleetPublisher.Progress done = publisher.publish(fleet, options, PROGRESS_EVERY,
                    p -> report(log, p, seconds));
            log.printf(Locale.ROOT, "simulate: done, %d samples in %d messages, %.1f s, %.0f samples/s%n",
                    done.samples(), done.messages(), done.elapsedSeconds(), done.samplesPerSecond());
            log.flush();
            return 0;
        } catch (MqttException e) {
            throw new UsageException(MqttSecurity.describe(e, target));
        } catch (IllegalArgumentException e) { // TLS files with a tcp:// URI, unreadable certificates
            throw new UsageException(e.getMessage());
        }
    }

    private static void report(PrintWriter log, MqttFleetPublisher.Progress p, double seconds) {
        log.printf(Locale.ROOT, "simulate: %.0f of %.0f s simulated, %d samples in %d messages, %.0f samples/s%n",
                p.simulatedSeconds(), seconds, p.samples(), p.messages(), p.samplesPerSecond());
        log.flush();
    }

    /** A progress line on stderr at most every few seconds, for long CSV runs. */
    private static final class Progress {
        private final PrintWriter err;
        private final long total;
        private final double rateHz;
        private long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();

        Progress(PrintWriter err, long total, double rateHz) {
            this.err = err;
            this.total = total;
            this.rateHz = rateHz;
        }

        void report(long done) {
            if (System.nanoTime() < nextReport || done == total) {
                return;
            }
            nextReport += PROGRESS_EVERY.toNanos();
            err.printf(Locale.ROOT, "simulate: %3.0f%% (%.0f of %.0f s simulated)%n",
                    100.0 * done / total, done / rateHz, total / rateHz);
            err.flush();
        }
    }
}
