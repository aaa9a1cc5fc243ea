package io.vigil.cli;

import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.publish.MqttReadingSink;
import io.vigil.publish.ReadingSink;
import io.vigil.replay.BackblazeReplay;
import io.vigil.replay.RecordingReplay;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.vigil.security.MqttSecurity;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay}: recorded history played back through the live pipeline. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        header = "Replay recorded data as live readings, over MQTT v5 (through the bridge) or straight to Kafka.",
        footer = {"", "Examples:",
                "  vigil replay backblaze --dir ../shared/data/backblaze-2013 --to kafka",
                "  vigil replay csv --file recording.csv --topology vibration --to mqtt"},
        subcommands = {ReplayCommand.Backblaze.class, ReplayCommand.Csv.class})
public final class ReplayCommand implements Runnable {

    /** Default port of a replay's metrics server (replay progress as {@code vigil_replay_*}). */
    public static final int DEFAULT_METRICS_PORT = 9404;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where readings go: shared options of both subcommands. */
    static final class Target {
        enum To { mqtt, kafka }

        @Option(names = "--to", required = true, paramLabel = "mqtt|kafka", description = "mqtt: to the broker, as sensors do; kafka: straight to the readings topic.")
        To to;

        @Mixin
        MqttBrokerOption broker;

        @Mixin
        KafkaBootstrapOption bootstrap;

        @Mixin
        MaxInFlightOption maxInFlight;

        @Mixin
        MqttSecurityOptions mqttSecurity;

        @Mixin
        KafkaSecurityOptions kafkaSecurity;

        ReadingSink open(SensorKind sensorKind, String clientId) throws Exception {
            if (to == To.mqtt) {
                MqttSecurity security = mqttSecurity.security();
                try {
                    return new MqttReadingSink(broker.uri, sensorKind, clientId + "-" + ProcessHandle.current().pid(),
                            maxInFlight.count, security);
                } catch (MqttException e) {
                    throw new UsageException(MqttSecurity.describe(e, broker.uri));
                } catch (IllegalArgumentException e) { // TLS files with a tcp:// URI, unreadable certificates
                    throw new UsageException(e.getMessage());
                }
            }
            return new KafkaReadingSink(bootstrap.servers, sensorKind.kafka().readings(), sensorKind.sampleRateHz(), clientId,
                    kafkaSecurity.clientConfig());
        }

        String where(SensorKind sensorKind) {
            return to == To.mqtt ? "MQTT " + sensorKind.mqttTopicFilter().replace("+", "<serial>")
                    : "Kafka " + sensorKind.kafka().readings();
        }
    }

    @Command(name = "backblaze",
            mixinStandardHelpOptions = true,
            header = "Replay Backblaze Drive Stats as SMART readings, one per drive-day.",
            description = {"Backblaze Drive Stats (folder or zip of YYYY-MM-DD.csv) as SMART readings: one per drive-day, "
                    + "keyed by serial, event time = the row's date (midnight UTC)."},
            footer = {"", "Examples:",
                    "  vigil replay backblaze --dir ../shared/data/backblaze-2013 --to kafka --bootstrap localhost:9092",
                    "  vigil replay backblaze --dir data.zip --to mqtt --broker tcp://localhost:1883 --speed 1"})
    static final class Backblaze implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Mixin
        BackblazeDirOption dir;

        @Mixin
        KindOption.WithDefault kind = new KindOption.WithDefault("smart"); // one with a sources block

        @Option(names = "--speed", defaultValue = "0", paramLabel = "DAYS_PER_S", description = "Days per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
        double speed;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws Exception {
            if (speed < 0) {
                throw new UsageException("--speed must be >= 0 days per second, got " + speed);
            }
            if (!Files.exists(dir.path)) {
                throw new UsageException(dir.path + ": Backblaze data not found");
            }
            SensorKind sensorKind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind.name);
            if (sensorKind.sources().isEmpty()) {
                throw new UsageException("topology '" + sensorKind.name() + "' has no sources block: not a SMART topology");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            out.printf(Locale.ROOT, "replay: %s -> %s at %s%n", dir.path, target.where(sensorKind),
                    speed == 0 ? "max speed" : speed + " days/s");
            out.flush();
            ReplayConsole console = ReplayConsole.of(err);
            BackblazeReplay.Totals done;
            try (Telemetry telemetry = Telemetry.withoutLivePage(); // a replay scores no device
                 MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT);
                 ReadingSink sink = target.open(sensorKind, "vigil-replay-backblaze")) {
                done = new BackblazeReplay(sensorKind, telemetry.registry()).run(dir.path, sink, speed,
                        new BackblazeReplay.Listener() {
                            @Override
                            public void progress(BackblazeReplay.Totals t) {
                                console.progress(t.days(), t.totalDays(),
                                        ReplayConsole.days(t.days(), t.totalDays(), t.rows(), t.rowsPerSecond()));
                            }

                            @Override
                            public void problem(String problem) {
                                console.problem(problem);
                            }
                        });
            } finally {
                console.finish();
            }
            out.printf(Locale.ROOT, "replay: done, %d days, %,d rows -> %,d readings in %.1f s (%,.0f rows/s); "
                            + "%,d drive-days before every SMART column was reported, %,d invalid serials, %,d bad rows, "
                            + "%d files skipped%n",
                    done.days(), done.rows(), done.readings(), done.seconds(), done.rowsPerSecond(), done.notYet(),
                    done.badIds(), done.badRows(), done.skippedFiles());
            out.flush();
            return 0;
        }
    }

    @Command(name = "csv",
            mixinStandardHelpOptions = true,
            header = "Replay recorded sensor files as batched readings, shifted in time to start now.",
            description = {"Recorded sensor files (generic CSV or ADXL356 *.Wfm.csv) as batched readings, times "
                    + "shifted so the recording starts now (or at --start-ms)."},
            footer = {"", "Example:",
                    "  vigil replay csv --file ../shared/data/vibration-adxl356/1800_HIR_GS_BaLo_WA_00lb.Wfm.csv \\",
                    "      --topology adxl356 --to mqtt --broker tcp://localhost:1883 --speed 1"})
    static final class Csv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "Recording.")
        Path file;

        @Mixin
        KindOption kind; // of the recording

        @Option(names = "--speed", defaultValue = "0", paramLabel = "X", description = "Recording seconds per wall second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
        double speed;

        @Option(names = "--batch", defaultValue = "100", paramLabel = "N", description = "Samples per reading (default: ${DEFAULT-VALUE}).")
        int batch;

        @Mixin
        StartMsOption startMs;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws Exception {
            if (speed < 0 || batch < 1) {
                throw new UsageException("--speed must be >= 0 and --batch >= 1");
            }
            if (!Files.exists(file)) { // before any client starts, so the one line is all the user sees
                throw new UsageException(file + ": recording not found");
            }
            SensorKind sensorKind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind.name);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ReplayConsole console = ReplayConsole.of(err);
            RecordingReplay.Totals done;
            try (Telemetry telemetry = Telemetry.withoutLivePage(); // a replay scores no device
                 MetricsServer server = metrics.start(telemetry, DEFAULT_METRICS_PORT);
                 ReadingSink sink = target.open(sensorKind, "vigil-replay-csv")) {
                done = new RecordingReplay(sensorKind, telemetry.registry()).run(file, sink,
                        startMs.epochMs == null ? System.currentTimeMillis() : startMs.epochMs, batch, speed,
                        new RecordingReplay.Listener() {
                            @Override
                            public void progress(RecordingReplay.Totals t) {
                                console.progress(t.samples(), t.totalSamples(), ReplayConsole.samples(t.samples(),
                                        t.totalSamples(), t.readings(), t.samplesPerSecond()));
                            }

                            @Override
                            public void problem(String problem) {
                                console.problem(problem);
                            }
                        });
            } finally {
                console.finish();
            }
            out.printf(Locale.ROOT, "replay: done, %,d samples in %,d readings -> %s in %.1f s; %,d rows skipped%n",
                    done.samples(), done.readings(), target.where(sensorKind), done.seconds(), done.skippedRows());
            out.flush();
            return 0;
        }
    }

}
