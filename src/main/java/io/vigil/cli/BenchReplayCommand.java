package io.vigil.cli;

import io.vigil.bench.ReplayBench;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench replay}: {@code vigil replay backblaze} throughput on embedded brokers. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        header = "Measure how fast a Backblaze folder replays into Kafka, directly and over MQTT.",
        description = {
                "Replay a Backblaze folder as fast as possible on embedded brokers: straight to Kafka (acks=all,",
                "idempotent), and over MQTT v5 QoS 1 (mosquitto if installed, without its queue limit; else HiveMQ",
                "in-process) through the bridge into the same Kafka; report wall time and rows/s per target."},
        footer = {"", "Example:",
                "  vigil bench replay --dir ../shared/data/backblaze-2013 --to kafka,mqtt"})
public final class BenchReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackblazeDirOption dir;

    @Option(names = "--to", split = ",", defaultValue = "kafka,mqtt", paramLabel = "kafka|mqtt",
            description = "Targets, one run each, in order (default: ${DEFAULT-VALUE}).")
    List<ReplayBench.Target> targets;

    @Mixin
    EmbeddedPipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(dir.path)) {
            throw new UsageException(dir.path + ": Backblaze data not found");
        }
        if (pipeline.external.mqtt() != null || pipeline.external.kafka() != null) {
            throw new UsageException("bench replay measures on embedded brokers; --broker and --bootstrap are for"
                    + " bench pipeline and bench soak (time vigil replay backblaze against yours)");
        }
        pipeline.quietLogs();
        PrintWriter out = spec.commandLine().getOut();
        println(out, String.format(Locale.ROOT, "bench: %d cores, max heap %d MB, %s; load average %.2f",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        List<ReplayBench.Result> results = ReplayBench.run(pipeline.topologies.load("smart"), dir.path,
                targets, unboundedQueues(pipeline.embeddedMqtt()), line -> println(out, "bench:   " + line));
        println(out, table(results));
        return 0;
    }

    /**
     * The chosen broker, but mosquitto without its per-client queue limit: at full speed the publisher
     * outruns the bridge, and mosquitto drops QoS 1 messages beyond {@code max_queued_messages} (100,000
     * in {@link MosquittoProcess#config}); the bench measures delivery, so nothing may be dropped.
     * HiveMQ's queue ({@link io.vigil.embedded.EmbeddedMqtt#MAX_QUEUED_MESSAGES}) already holds 40 days.
     */
    private Supplier<MqttBroker> unboundedQueues(Supplier<MqttBroker> chosen) {
        if (pipeline.mqtt.equals("hivemq") || MosquittoProcess.executable().isEmpty()) {
            return chosen;
        }
        return () -> MosquittoProcess.start(port -> """
                listener %d 127.0.0.1
                allow_anonymous true
                max_inflight_messages 1000
                max_queued_messages 0
                persistence false
                """.formatted(port));
    }

    static String table(List<ReplayBench.Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%-6s %5s %10s %10s %10s %12s %10s%n",
                "target", "days", "rows", "readings", "publish s", "delivered s", "rows/s"));
        for (ReplayBench.Result r : results) {
            s.append(String.format(Locale.ROOT, "%-6s %5d %,10d %,10d %10.1f %12.1f %,10.0f%n", r.target(),
                    r.totals().days(), r.totals().rows(), r.totals().readings(), r.publishSeconds(),
                    r.deliveredSeconds(), r.rowsPerSecond()));
        }
        s.append("\npublish: first row read -> last reading acknowledged (Kafka acks=all; MQTT PUBACK);"
                + " delivered: -> every reading in Kafka (MQTT: forwarded by the bridge); rows/s over delivered\n");
        return s.toString();
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
