package io.vigil.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of a long-running command (JDK {@code HttpServer}, no framework):
 * <ul>
 *   <li>{@code /metrics}: the Prometheus scrape of {@link Telemetry#registry()};</li>
 *   <li>{@code /}: the live page (devices, score against threshold, recent alerts), a single HTML
 *       file with inline script that polls {@code /api/live} — no build step, nothing from a CDN;
 *       in a process without a board (bridge, simulator), a short page pointing to the detector's;</li>
 *   <li>{@code /api/live}: the {@link LiveBoard} as JSON (only with a board);</li>
 *   <li>{@code /health}: {@code ok} while the server runs (container health checks).</li>
 * </ul>
 * Binds to {@link #DEFAULT_HOST} unless told otherwise: the page and the metrics are for this
 * machine unless the operator publishes them (as docker-compose does, with {@code 0.0.0.0}).
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    public static final String DEFAULT_HOST = "127.0.0.1";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String LIVE_PAGE = "live.html";
    /** What {@code /} says in a process that scores no devices, instead of a live page that would stay empty. */
    static final String NO_LIVE_PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Vigil — metrics</title></head>
            <body><p>This process scores no devices, so it has no live page: device scores and alerts are on the
            detector's (<code>vigil detect</code>, port 9402 by default; <code>vigil demo</code>, 9400).</p>
            <p>Its Prometheus metrics: <a href="metrics">/metrics</a>.</p></body></html>
            """;

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code telemetry} on {@code host:port}; port 0 picks a free port.
     *
     * @throws UncheckedIOException when the address cannot be bound (port taken, unknown host)
     */
    public static MetricsServer start(String host, int port, Telemetry telemetry) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        byte[] page = telemetry.hasLivePage() ? livePage() : NO_LIVE_PAGE.getBytes(StandardCharsets.UTF_8);
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT,
                telemetry.registry().scrape().getBytes(StandardCharsets.UTF_8)));
        if (telemetry.hasLivePage()) {
            LiveJson json = new LiveJson(telemetry.board());
            server.createContext("/api/live", exchange -> respond(exchange, 200, "application/json",
                    json.render(System.currentTimeMillis())));
        }
        server.createContext("/health", exchange -> respond(exchange, 200, "text/plain",
                "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/index.html")) {
                respond(exchange, 200, "text/html; charset=utf-8", page);
            } else {
                respond(exchange, 404, "text/plain", ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        // Two threads: a slow scrape must not hold up the live page's polls.
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vigil-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        MetricsServer started = new MetricsServer(server, executor);
        if (telemetry.hasLivePage()) {
            LOG.info("metrics on {}/metrics, live page on {}/", started.url(), started.url());
        } else {
            LOG.info("metrics on {}/metrics", started.url());
        }
        return started;
    }

    /** {@code http://host:port} as bound. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] livePage() {
        try (InputStream in = MetricsServer.class.getResourceAsStream(LIVE_PAGE)) {
            if (in == null) {
                throw new IllegalStateException("live page resource missing: " + LIVE_PAGE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
