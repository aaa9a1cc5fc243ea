package io.vigil.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MqttBroker;
import io.vigil.ingest.Bridge;
import io.vigil.ingest.BridgeMetrics;
import io.vigil.ingest.Topics;
import io.vigil.publish.KafkaReadingSink;
import io.vigil.publish.MqttReadingSink;
import io.vigil.publish.ReadingSink;
import io.vigil.replay.BackblazeReplay;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Measures {@code vigil replay backblaze} on embedded brokers: the whole folder straight to Kafka,
 * then over MQTT (QoS 1) through the bridge into the same Kafka, each timed from the first row read
 * to the last reading acknowledged, and for MQTT also until the bridge has every reading in Kafka.
 */
public final class ReplayBench {

    /** Unacknowledged MQTT publishes, as {@code vigil replay}'s default {@code --max-in-flight}. */
    public static final int MQTT_IN_FLIGHT = 1000;
    /** How long the bridge may take to drain after the last publish before the run is called incomplete. */
    static final Duration DRAIN = Duration.ofMinutes(5);

    public enum Target { kafka, mqtt }

    /**
     * One target's run.
     *
     * @param publishSeconds   first row read → last reading acknowledged by the target (Kafka acks=all, or MQTT PUBACK)
     * @param deliveredSeconds first row read → every reading in Kafka (the same as publish for {@code kafka})
     */
    public record Result(Target target, BackblazeReplay.Totals totals, double publishSeconds, double deliveredSeconds) {
        public double rowsPerSecond() {
            return totals.rows() / deliveredSeconds;
        }
    }

    private ReplayBench() {
    }

    /** Replays {@code dir} once per target on a fresh embedded Kafka; {@code progress} gets a line every 10 days. */
    public static List<Result> run(SensorKind smart, Path dir, List<Target> targets, Supplier<MqttBroker> mqtt,
                                   Consumer<String> progress) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Topics.ensureAll(kafka.bootstrapServers(), List.of(smart));
            List<Result> results = new ArrayList<>();
            for (Target target : targets) {
                results.add(target == Target.kafka ? toKafka(smart, dir, kafka, progress)
                        : overMqtt(smart, dir, kafka, mqtt, progress));
            }
            return results;
        }
    }

    private static Result toKafka(SensorKind smart, Path dir, EmbeddedKafka kafka, Consumer<String> progress)
            throws Exception {
        try (ReadingSink sink = new KafkaReadingSink(kafka.bootstrapServers(), smart.kafka().readings(),
                smart.sampleRateHz(), "bench-replay")) {
            BackblazeReplay.Totals totals = replay(smart, dir, sink, Target.kafka, progress);
            return new Result(Target.kafka, totals, totals.seconds(), totals.seconds());
        }
    }

    private static Result overMqtt(SensorKind smart, Path dir, EmbeddedKafka kafka, Supplier<MqttBroker> mqtt,
                                   Consumer<String> progress) throws Exception {
        SimpleMeterRegistry bridged = new SimpleMeterRegistry();
        try (MqttBroker broker = mqtt.get();
             Bridge bridge = Bridge.builder().broker(broker.uri()).bootstrapServers(kafka.bootstrapServers())
                     .kinds(List.of(smart)).clientId("bench-replay-bridge").metrics(bridged).start();
             ReadingSink sink = new MqttReadingSink(broker.uri(), smart, "bench-replay", MQTT_IN_FLIGHT)) {
            long started = System.nanoTime();
            BackblazeReplay.Totals totals = replay(smart, dir, sink, Target.mqtt, progress);
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (forwarded(bridged) < totals.readings()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "the bridge forwarded %,.0f of %,d "
                            + "readings within %s of the last publish", forwarded(bridged), totals.readings(), DRAIN));
                }
                Thread.sleep(20);
            }
            return new Result(Target.mqtt, totals, totals.seconds(), (System.nanoTime() - started) / 1e9);
        }
    }

    private static double forwarded(SimpleMeterRegistry registry) {
        return registry.find(BridgeMetrics.READINGS).tag(BridgeMetrics.TAG_OUTCOME, BridgeMetrics.FORWARDED)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static BackblazeReplay.Totals replay(SensorKind smart, Path dir, ReadingSink sink, Target target,
                                                 Consumer<String> progress) throws Exception {
        return new BackblazeReplay(smart).run(dir, sink, 0, new BackblazeReplay.Listener() {
            @Override
            public void progress(BackblazeReplay.Totals t) {
                if (t.days() % 10 == 0 || t.days() == t.totalDays()) {
                    progress.accept(String.format(Locale.ROOT, "%s: %d/%d days, %,d rows, %,.0f rows/s", target,
                            t.days(), t.totalDays(), t.rows(), t.rowsPerSecond()));
                }
            }

            @Override
            public void problem(String problem) {
                progress.accept(target + ": " + problem);
            }
        });
    }
}
