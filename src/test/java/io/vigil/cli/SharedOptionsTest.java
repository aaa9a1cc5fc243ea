package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * An option that several commands show is declared once, in one shared option class (a picocli mixin), with one
 * help text. The listing names, for every option name shown by more than one command, the class that declares it,
 * its help text and the commands that show it: a command that declares its own copy adds a line, and so does a
 * second help text. Where one name carries two ideas (an external broker instead of an embedded one, a replay's
 * own speed unit), the listing shows both, each declared once.
 */
class SharedOptionsTest {

    @Test
    void everyRepeatedOptionIsDeclaredOnceWithOneHelpTextPerIdea() {
        // given
        CommandLine vigil = Vigil.commandLine();

        // when
        List<String> listing = listing(vigil);

        // then
        assertThat(listing).containsExactly(
                "--batch-ms",
                "  BatchMsOption: Sensor milliseconds per MQTT message and device (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline, vigil simulate",
                "--bootstrap",
                "  ExternalBrokerOptions: External Kafka instead of the embedded one (env VIGIL_KAFKA_BOOTSTRAP).",
                "    vigil bench pipeline, vigil bench replay, vigil bench soak, vigil demo",
                "  KafkaBootstrapOption: Kafka bootstrap servers (env VIGIL_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).",
                "    vigil bridge, vigil detect, vigil model end-shadow, vigil model publish, vigil replay backblaze, vigil replay csv",
                "--broker",
                "  ExternalBrokerOptions: External MQTT 5 broker instead of the embedded one (env VIGIL_MQTT_BROKER).",
                "    vigil bench pipeline, vigil bench replay, vigil bench soak, vigil demo",
                "  MqttBrokerOption: MQTT v5 broker (env VIGIL_MQTT_BROKER; default: ${DEFAULT-VALUE}).",
                "    vigil bridge, vigil replay backblaze, vigil replay csv",
                "  SimulateCommand: Publish to this MQTT v5 broker, e.g. tcp://localhost:1883 (default: $VIGIL_MQTT_BROKER).",
                "    vigil simulate",
                "--data",
                "  BenchModelCommand: Where the windows come from (default: ${DEFAULT-VALUE}).",
                "    vigil bench model",
                "  DataOption: Scenario files (*.yaml) or recordings (generic CSV, ADXL356 *.Wfm.csv, folders of them).",
                "    vigil score, vigil train",
                "  EvaluateCommand: Recorded data: a Backblaze folder or zip, or labelled recordings (files or folders).",
                "    vigil evaluate",
                "--device-series-cap",
                "  DeviceSeriesCapOption: Devices with their own score/threshold/alert series and a row on the live page; later devices are still scored and alerted (default ${DEFAULT-VALUE}).",
                "    vigil demo, vigil detect",
                "--devices",
                "  BenchMemoryCommand: Fleet sizes, one load each, smallest first (default: ${DEFAULT-VALUE}).",
                "    vigil bench memory",
                "  BenchPipelineCommand: Fleet sizes, one run each (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline",
                "  BenchSoakCommand: Fleet size (default: ${DEFAULT-VALUE}).",
                "    vigil bench soak",
                "  BenchTrainMemoryCommand: Synthetic devices (default: ${DEFAULT-VALUE}).",
                "    vigil bench train-memory",
                "--dir",
                "  BackblazeDirOption: Backblaze daily files (YYYY-MM-DD.csv), or a zip of them.",
                "    vigil bench replay, vigil replay backblaze",
                "--duration",
                "  DemoCommand: Stop by itself after this many seconds (default: run until Ctrl-C).",
                "    vigil demo",
                "  SimulateCommand: Simulated seconds (default: the scenario's durationSeconds).",
                "    vigil simulate",
                "--epochs",
                "  BenchTrainMemoryCommand: Epochs, all trained (default: ${DEFAULT-VALUE}).",
                "    vigil bench train-memory",
                "  EpochsOption: Training epochs at most; early stopping may end sooner (default: ${DEFAULT-VALUE}).",
                "    vigil evaluate, vigil train",
                "--kafka-config",
                "  KafkaSecurityOptions: Kafka client properties for SASL/SSL (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location…); VIGIL_KAFKA_<NAME> variables override them, e.g. VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL (env VIGIL_KAFKA_CONFIG)",
                "    vigil bridge, vigil detect, vigil model end-shadow, vigil model publish, vigil replay backblaze, vigil replay csv",
                "--max-in-flight",
                "  MaxInFlightOption: MQTT only: unacknowledged publishes at most; lowered to the broker's receive maximum (default: ${DEFAULT-VALUE}).",
                "    vigil replay backblaze, vigil replay csv, vigil simulate",
                "--metrics-host",
                "  MetricsOptions: address of the metrics server; 0.0.0.0 publishes it to the network (env VIGIL_METRICS_HOST; default ${DEFAULT-VALUE})",
                "    vigil bridge, vigil demo, vigil detect, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--metrics-port",
                "  MetricsOptions: port of /metrics and the live page at /; 0 for no server (env VIGIL_METRICS_PORT; default: bridge 9401, detect 9402, demo 9400, simulate 9403, replay 9404)",
                "    vigil bridge, vigil demo, vigil detect, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--model",
                "  EvaluateCommand: Evaluate this bundle instead of training one on the training split.",
                "    vigil evaluate",
                "  ScoreCommand: Model bundle written by 'vigil train'.",
                "    vigil score",
                "--models-topic",
                "  ModelsTopicOption: Compacted topic of model bundles, keyed by kind; detectors switch to what is published there (default: ${DEFAULT-VALUE}).",
                "    vigil detect, vigil model end-shadow, vigil model publish",
                "--mqtt",
                "  EmbeddedPipelineOptions: Embedded MQTT broker when no --broker: auto, mosquitto or hivemq (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline, vigil bench replay, vigil bench soak",
                "--mqtt-ca",
                "  MqttSecurityOptions: CA certificate(s) the broker's certificate must chain to; use with an ssl://host:8883 broker (env VIGIL_MQTT_CA; default for ssl://: the JVM's trust store)",
                "    vigil bridge, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--mqtt-cert",
                "  MqttSecurityOptions: client certificate for brokers that require one (env VIGIL_MQTT_CERT)",
                "    vigil bridge, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--mqtt-key",
                "  MqttSecurityOptions: unencrypted PKCS#8 key of --mqtt-cert (env VIGIL_MQTT_KEY)",
                "    vigil bridge, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--mqtt-password-file",
                "  MqttSecurityOptions: file whose first line is the MQTT password (env VIGIL_MQTT_PASSWORD_FILE)",
                "    vigil bridge, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--mqtt-username",
                "  MqttSecurityOptions: MQTT username (env VIGIL_MQTT_USERNAME); the password comes from $VIGIL_MQTT_PASSWORD or --mqtt-password-file",
                "    vigil bridge, vigil replay backblaze, vigil replay csv, vigil simulate",
                "--out",
                "  BenchPipelineCommand: Where the latency curve goes: latency.csv and latency.png (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline",
                "  BenchSoakCommand: Where soak.csv and soak.png go (default: ${DEFAULT-VALUE}).",
                "    vigil bench soak",
                "  BenchTrainMemoryCommand: Where train-memory.csv and train-memory.png go (default: ${DEFAULT-VALUE}).",
                "    vigil bench train-memory",
                "  EvaluateCommand: Report folder (created).",
                "    vigil evaluate",
                "  SimulateCommand: Write the fleet as CSV to FILE.",
                "    vigil simulate",
                "  TrainCommand: Model bundle to write (default: the topology's model path).",
                "    vigil train",
                "--partitions",
                "  TopicPartitionsOption: Partitions of the topics this command creates when they are missing; 0 creates none (default: ${DEFAULT-VALUE}).",
                "    vigil bridge, vigil detect",
                "--rate",
                "  SampleRateOption: Samples per second per device (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline, vigil bench soak",
                "--samples",
                "  BenchFrontEndCommand: Raw samples per run (default: ${DEFAULT-VALUE}).",
                "    vigil bench frontend",
                "  BenchTrainMemoryCommand: Samples per device, 1 Hz (default: ${DEFAULT-VALUE}).",
                "    vigil bench train-memory",
                "--scenario",
                "  DemoCommand: Fleet to simulate (default: ${DEFAULT-VALUE}); its topology is the one sensor kind the demo runs.",
                "    vigil demo",
                "  SimulateCommand: Scenario YAML, e.g. simulator/demo.yaml.",
                "    vigil simulate",
                "--seconds",
                "  BenchModelCommand: Seconds per scoring measurement (default: ${DEFAULT-VALUE}).",
                "    vigil bench model",
                "  BenchPipelineCommand: Seconds each fleet publishes (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline",
                "--seed",
                "  SeedOption: Training seed: initial weights, training-window subset, batch order (default: ${DEFAULT-VALUE}).",
                "    vigil bench train-memory, vigil evaluate",
                "--speed",
                "  Backblaze: Days per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).",
                "    vigil replay backblaze",
                "  Csv: Recording seconds per wall second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).",
                "    vigil replay csv",
                "  SpeedOption: Simulated seconds per real second when publishing; 0 = as fast as possible (default: ${DEFAULT-VALUE}).",
                "    vigil demo, vigil simulate",
                "--start-ms",
                "  StartMsOption: Time of the first sample (default: now); fix it for byte-identical output.",
                "    vigil replay csv, vigil simulate",
                "--threads",
                "  StreamThreadsOption: Detector stream threads; each task owns one model instance (default: ${DEFAULT-VALUE}).",
                "    vigil bench pipeline, vigil detect",
                "--to",
                "  BenchReplayCommand: Targets, one run each, in order (default: ${DEFAULT-VALUE}).",
                "    vigil bench replay",
                "  Target: mqtt: to the broker, as sensors do; kafka: straight to the readings topic.",
                "    vigil replay backblaze, vigil replay csv",
                "--topologies",
                "  BenchFrontEndCommand: Sensor kinds to measure (default: ${DEFAULT-VALUE}).",
                "    vigil bench frontend",
                "  TopologiesOption: Folder of sensor-kind files (KIND.yaml) (default: ${DEFAULT-VALUE}).",
                "    vigil bench memory, vigil bench pipeline, vigil bench replay, vigil bench soak, vigil bridge, vigil demo, vigil detect, vigil score, vigil train",
                "--topology",
                "  KindOption: Sensor kind (topologies/KIND.yaml) or a topology file.",
                "    vigil evaluate, vigil replay csv, vigil train",
                "  WithDefault: Sensor kind (topologies/KIND.yaml) or a topology file (default: ${DEFAULT-VALUE}).",
                "    vigil bench memory, vigil bench model, vigil replay backblaze",
                "--train-data",
                "  DemoCommand: Healthy scenario the model is trained on when it is missing (default: ${DEFAULT-VALUE}).",
                "    vigil demo",
                "  EvaluateCommand: Sensors: recordings that only train (their healthy rows), e.g. SKAB's anomaly-free run; without it, the warm-up part of each recording trains when the topology calibrates each device.",
                "    vigil evaluate",
                "--verbose",
                "  VerboseOption: Show on stderr the logs this command hides by default.",
                "    vigil bench memory, vigil bench pipeline, vigil bench replay, vigil bench soak, vigil demo");
    }

    /** For each option name shown by two commands or more: each declaring class, its help text, and its commands. */
    private static List<String> listing(CommandLine root) {
        Map<String, Map<String, List<String>>> byName = new TreeMap<>();
        collect(root, byName);
        List<String> lines = new ArrayList<>();
        byName.forEach((name, declarations) -> {
            if (declarations.values().stream().mapToInt(List::size).sum() < 2) {
                return;
            }
            lines.add(name);
            declarations.forEach((declaration, commands) -> {
                lines.add("  " + declaration);
                lines.add("    " + commands.stream().sorted().collect(Collectors.joining(", ")));
            });
        });
        return lines;
    }

    private static void collect(CommandLine cli, Map<String, Map<String, List<String>>> byName) {
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            // the help text as declared: ${DEFAULT-VALUE} unexpanded, so the listing does not depend on the environment
            Field field = (Field) option.userObject();
            String declaration = field.getDeclaringClass().getSimpleName() + ": "
                    + String.join(" ", field.getAnnotation(Option.class).description());
            byName.computeIfAbsent(option.longestName(), n -> new TreeMap<>())
                    .computeIfAbsent(declaration, d -> new ArrayList<>())
                    .add(cli.getCommandSpec().qualifiedName());
        }
        cli.getSubcommands().values().stream().filter(sub -> !sub.getCommandName().equals("help"))
                .forEach(sub -> collect(sub, byName));
    }
}
