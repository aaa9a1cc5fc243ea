package io.vigil.cli;

import io.vigil.metrics.MetricsServer;
import io.vigil.metrics.Telemetry;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-host} and {@code --metrics-port}, shared by every long-running command: where its
 * {@link MetricsServer} (Prometheus {@code /metrics} and, where devices are scored, the live page at
 * {@code /}) listens.
 * Each command has its own default port so that bridge, detector and demo can run on one machine.
 */
final class MetricsOptions {

    @Option(names = "--metrics-host", defaultValue = "${env:VIGIL_METRICS_HOST:-" + MetricsServer.DEFAULT_HOST + "}",
            description = "address of the metrics server; 0.0.0.0 publishes it to the network (env VIGIL_METRICS_HOST;"
                    + " default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--metrics-port",
            description = "port of /metrics and the live page at /; 0 for no server (env VIGIL_METRICS_PORT;"
                    + " default: bridge 9401, detect 9402, demo 9400, simulate 9403, replay 9404)")
    Integer port;

    /** Starts the server unless the port is 0; {@code null} then. */
    MetricsServer start(Telemetry telemetry, int defaultPort) {
        int chosen = port != null ? port : envPort(defaultPort);
        if (chosen < 0 || chosen > 65_535) {
            throw new UsageException("--metrics-port must be 0..65535, got " + chosen);
        }
        if (chosen == 0) {
            return null;
        }
        try {
            return MetricsServer.start(host, chosen, telemetry);
        } catch (UncheckedIOException e) {
            throw new UsageException(e.getMessage() + " (choose another with --metrics-port, or 0 for none)");
        }
    }

    private static int envPort(int defaultPort) {
        String env = System.getenv("VIGIL_METRICS_PORT");
        if (env == null || env.isBlank()) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(env.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("VIGIL_METRICS_PORT must be a port number, got '" + env + "'");
        }
    }
}
