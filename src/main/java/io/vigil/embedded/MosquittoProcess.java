package io.vigil.embedded;

import io.vigil.files.TempDirs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code mosquitto} run as a child process on a free loopback port, anonymous, with 1000
 * in-flight QoS 1 messages per client, without persistence (with it: {@link #startPersistent}, which
 * survives {@link #restart}). Faster than {@link EmbeddedMqtt} (about 15k QoS 1 msg/s on two cores),
 * so integration and load tests use it when it is installed.
 */
public final class MosquittoProcess implements MqttBroker {

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Where Debian installs the broker; {@code /usr/sbin} is often missing from a user's PATH. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin");
    private static final String CONF = "mosquitto.conf";
    private static final String LOG_FILE = "mosquitto.log";
    /** How mosquitto 2.0 reports that it could not write its persistence file. */
    private static final String SAVE_FAILED = "Error saving in-memory database";

    private final Path binary;
    private final Path home;
    private final int port;
    private final Duration startupTime;
    private Process process; // null while stopped

    private MosquittoProcess(Path binary, Process process, Path home, int port, Duration startupTime) {
        this.binary = binary;
        this.process = process;
        this.home = home;
        this.port = port;
        this.startupTime = startupTime;
    }

    /** The {@code mosquitto} executable, if installed. */
    public static Optional<Path> executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), EXTRA_DIRS.stream())
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "mosquitto"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts mosquitto with {@link #config(int)} and waits until its port accepts connections. */
    public static MosquittoProcess start() {
        return start(MosquittoProcess::config);
    }

    /**
     * Starts mosquitto with the configuration {@code config} writes for a free loopback port (tests of
     * password files, TLS listeners, ACLs) and waits until that port accepts connections.
     */
    public static MosquittoProcess start(IntFunction<String> config) {
        return start((port, home) -> config.apply(port));
    }

    /**
     * Starts mosquitto with {@link #persistentConfig}: sessions, subscriptions and queued QoS 1
     * messages are written to disk when it stops and read back when it {@link #restart restarts}.
     */
    public static MosquittoProcess startPersistent() {
        return start(MosquittoProcess::persistentConfig);
    }

    private static MosquittoProcess start(BiFunction<Integer, Path, String> config) {
        Path binary = executable().orElseThrow(() -> new IllegalStateException(
                "mosquitto is not installed (apt-get install mosquitto mosquitto-clients)"));
        long started = System.nanoTime();
        Path home = TempDirs.create("vigil-mosquitto-");
        Process process = null;
        try {
            int port = FreePorts.pick();
            Files.writeString(home.resolve(CONF), config.apply(port, home));
            process = launch(binary, home);
            awaitListening(process, port, home);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("mosquitto (pid {}) on 127.0.0.1:{} started in {} ms", process.pid(), port, took.toMillis());
            return new MosquittoProcess(binary, process, home, port, took);
        } catch (IOException e) {
            stop(process);
            TempDirs.deleteQuietly(home);
            throw new UncheckedIOException("cannot start mosquitto: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop(process);
            TempDirs.deleteQuietly(home);
            throw e;
        }
    }

    /** The minimal broker config: one loopback listener, no auth, no disk, a wide in-flight window. */
    public static String config(int port) {
        return """
                listener %d 127.0.0.1
                allow_anonymous true
                max_inflight_messages 1000
                max_queued_messages 100000
                persistence false
                """.formatted(port);
    }

    /**
     * {@link #config} with persistence on: mosquitto keeps its state (sessions, subscriptions, queued
     * and in-flight QoS 1 messages) in {@code home/mosquitto.db}, saved when it exits on SIGTERM and
     * read at start. Without persistence a restart forgets every session and every queued message.
     * Started as root, mosquitto switches to the user {@code mosquitto}, which cannot write a
     * temporary folder of ours; {@code user} keeps it as whoever runs the tests.
     */
    public static String persistentConfig(int port, Path home) {
        return config(port).replace("persistence false\n", "")
                + "persistence true\n"
                + "persistence_location " + home.toAbsolutePath() + "/\n"
                + "user " + System.getProperty("user.name") + "\n";
    }

    private static Process launch(Path binary, Path home) throws IOException {
        return new ProcessBuilder(binary.toString(), "-c", home.resolve(CONF).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(LOG_FILE).toFile()))
                .start();
    }

    private static void awaitListening(Process process, int port, Path home) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + log(home));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polling a port has no event to wait on
            }
        }
        throw new IllegalStateException("mosquitto did not open port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s: " + log(home));
    }

    private static String log(Path home) {
        try {
            return Files.readString(home.resolve(LOG_FILE)).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public int port() {
        return port;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Whether the broker process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the broker with SIGTERM, as a service manager does: mosquitto disconnects every client
     * and, with persistence on, saves its state. The port and folder stay for {@link #restart}.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        stop(process);
        process = null;
        String log = log(home);
        if (log.contains(SAVE_FAILED)) { // a restart would silently lose every session and queued message
            throw new IllegalStateException("mosquitto on port " + port + " could not save its state: "
                    + log.substring(log.lastIndexOf(SAVE_FAILED)).lines().findFirst().orElse(""));
        }
    }

    /**
     * Starts the broker again with the same configuration on the same port (stopping it first if it
     * is running) and waits until the port accepts connections; returns how long that took.
     */
    public synchronized Duration restart() {
        stop();
        long started = System.nanoTime();
        try {
            process = launch(binary, home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart mosquitto: " + e.getMessage(), e);
        }
        awaitListening(process, port, home);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("mosquitto (pid {}) on 127.0.0.1:{} restarted in {} ms", process.pid(), port, took.toMillis());
        return took;
    }

    @Override
    public synchronized void close() {
        stop(process);
        process = null;
        TempDirs.deleteQuietly(home);
    }

    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: mosquitto closes its sockets and exits
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
