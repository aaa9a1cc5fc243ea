package io.vigil.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One headless Chromium with one page open, driven over the DevTools protocol (CDP) on a
 * {@link WebSocket}: the test reads the page as it updates itself, never reloading it. The browser
 * is a child process, killed on {@link #close()} with everything it started.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket page;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    static Optional<Path> find() {
        return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
                .map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts Chromium with a fresh profile under {@code profiles}, showing {@code url} in a 1100x700 window. */
    static HeadlessChromium open(Path executable, Path profiles, String url) throws Exception {
        Path profile = Files.createTempDirectory(Files.createDirectories(profiles), "profile-");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1100,700",
                "--remote-debugging-port=0", // Chromium picks the port and writes it to DevToolsActivePort
                "--user-data-dir=" + profile, url)
                .redirectOutput(profile.resolve("chromium.out").toFile())
                .redirectError(profile.resolve("chromium.err").toFile())
                .start();
        HeadlessChromium browser = new HeadlessChromium(process, profile);
        try {
            browser.attach(url);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    /** Evaluates {@code expression} in the page and returns its value as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
        }
        return result.at("/result/value");
    }

    /** The page as it is now, as a PNG. */
    void screenshot(Path png) throws Exception {
        JsonNode result = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.write(png, Base64.getDecoder().decode(result.get("data").asText()));
    }

    private void attach(String url) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium did not open its DevTools port: " + stderr());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        String port = Files.readAllLines(portFile).get(0).strip();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String socket = null;
        for (JsonNode target : targets) {
            if (target.path("type").asText().equals("page") && target.path("url").asText().startsWith(url)) {
                socket = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (socket == null) {
            throw new IllegalStateException("no page target for " + url + " among " + targets);
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(socket), new Replies())
                .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method).set("params", params);
        page.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** Hands each reply to the call waiting for its id; events (no id) are ignored. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder(); // a large reply (a screenshot) comes in parts

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> reply = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(reply -> reply.completeExceptionally(e));
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            pending.values().forEach(reply -> reply.completeExceptionally(error));
        }
    }

    private String stderr() {
        try {
            return Files.readString(profile.resolve("chromium.err"));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        List<ProcessHandle> children = process.descendants().toList(); // renderer, GPU, zygote processes
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
