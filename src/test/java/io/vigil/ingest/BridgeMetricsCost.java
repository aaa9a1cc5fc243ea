package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.payload.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Micro-measurement, not a test: what the bridge's meters cost per message on one thread, for a
 * forwarded message (received, settled, samples counted) and a rejected one (received, rejection
 * counted, dead letter settled). Prints the median and range of {@link #ROUNDS} rounds after warm-up.
 * Run from the repository root after {@code mvn -o -q test-compile}:
 * {@code java -cp target/test-classes:target/classes:<jars> io.vigil.ingest.BridgeMetricsCost}, the jars
 * being micrometer-core, micrometer-registry-prometheus, prometheus-metrics-* and HdrHistogram from
 * {@code ~/.m2}. Numbers and machine: docs/benchmarks.md, "The bridge's meters per message".
 */
public final class BridgeMetricsCost {

    static final int MESSAGES = 1_000_000;
    static final int WARMUP = 5;
    static final int ROUNDS = 15;
    private static long sink;

    private BridgeMetricsCost() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("machine: " + machine());
        measure("prometheus", () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        measure("simple", SimpleMeterRegistry::new);
        System.out.println("sink " + sink);
    }

    private static void measure(String name, Supplier<MeterRegistry> registries) {
        MeterRegistry registry = registries.get();
        BridgeMetrics metrics = new BridgeMetrics(registry, 1000);
        double[] forwarded = new double[ROUNDS];
        double[] rejected = new double[ROUNDS];
        for (int round = -WARMUP; round < ROUNDS; round++) {
            double f = forwarded(metrics);
            double r = rejected(metrics);
            if (round >= 0) {
                forwarded[round] = f;
                rejected[round] = r;
            }
        }
        System.out.printf(Locale.ROOT, "%-10s forwarded %s ns/message, rejected %s ns/message%n", name,
                summary(forwarded), summary(rejected));
    }

    private static double forwarded(BridgeMetrics metrics) {
        BridgeMetrics.Kind vibration = metrics.kind("vibration"); // as a route holds it
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            metrics.received();
            long arrived = System.nanoTime();
            vibration.forwarded(arrived, 100);
        }
        sink += metrics.inFlight();
        return (double) (System.nanoTime() - start) / MESSAGES;
    }

    private static double rejected(BridgeMetrics metrics) {
        BridgeMetrics.Kind vibration = metrics.kind("vibration");
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            metrics.received();
            long arrived = System.nanoTime();
            vibration.rejected(RejectReason.RAGGED_BATCH);
            vibration.deadLettered(arrived);
        }
        sink += metrics.inFlight();
        return (double) (System.nanoTime() - start) / MESSAGES;
    }

    private static String summary(double[] nanos) {
        double[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
