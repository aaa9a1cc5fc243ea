package io.vigil.embedded;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.vigil.files.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ Community Edition running in this JVM: an MQTT 5 broker on a free loopback port with
 * in-memory persistence and a temporary config/data folder, deleted on close. Used by
 * {@code vigil demo}; it is convenient rather than fast (about 1k QoS 1 msg/s with defaults),
 * so load tests use {@link MosquittoProcess}.
 */
public final class EmbeddedMqtt implements MqttBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqtt.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * QoS 1 publishes a client may have in flight to the broker. HiveMQ's default of 10 makes a
     * publisher with a wider window fail ("Too many publishes in progress"); 1000 matches mosquitto.
     */
    public static final int RECEIVE_MAXIMUM = 1000;
    /**
     * Messages queued per offline or slow subscriber. HiveMQ's default of 1000 then discards, which
     * would lose readings while the bridge restarts; a minute of a 20-device demo fits easily.
     */
    public static final long MAX_QUEUED_MESSAGES = 1_000_000;

    private final EmbeddedHiveMQ hivemq;
    private final Path home;
    private final int port;
    private final Duration startupTime;
    private boolean closed;

    private EmbeddedMqtt(EmbeddedHiveMQ hivemq, Path home, int port, Duration startupTime) {
        this.hivemq = hivemq;
        this.home = home;
        this.port = port;
        this.startupTime = startupTime;
    }

    /** Starts HiveMQ on a free port and waits until it accepts connections. */
    public static EmbeddedMqtt start() {
        long started = System.nanoTime();
        Path home = TempDirs.create("vigil-hivemq-");
        EmbeddedHiveMQ hivemq = null;
        try {
            int port = FreePorts.pick();
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), config(port));
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(home.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                    .withoutLoggingBootstrap() // keep Vigil's logback configuration
                    .build();
            hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("Embedded HiveMQ on 127.0.0.1:{} started in {} ms", port, took.toMillis());
            return new EmbeddedMqtt(hivemq, home, port, took);
        } catch (IOException | ExecutionException | TimeoutException e) {
            closeQuietly(hivemq);
            TempDirs.deleteQuietly(home);
            throw new IllegalStateException("embedded MQTT broker did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hivemq);
            TempDirs.deleteQuietly(home);
            throw new IllegalStateException("interrupted while starting the embedded MQTT broker", e);
        }
    }

    private static String config(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, RECEIVE_MAXIMUM, MAX_QUEUED_MESSAGES);
    }

    @Override
    public int port() {
        return port;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(hivemq);
        TempDirs.deleteQuietly(home);
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.close();
        } catch (ExecutionException e) {
            LOG.warn("HiveMQ did not stop cleanly: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
