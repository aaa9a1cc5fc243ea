package io.vigil.stream;

import io.vigil.metrics.LiveBoard;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole fleet on one instance's {@link LiveBoard}: a group-less consumer assigned every partition
 * of the kinds' scores topics (from their end: live scores) and alerts topics (from their beginning, so
 * the episodes open at start are replayed), whichever detector instance scores a device. Every
 * instance's live page and per-device gauges then show every device once, with its alert state
 * surviving any move of its stream task.
 *
 * <p>Reads {@code read_committed}: a score or alert of an aborted transaction never shows. An open
 * episode whose RAISED event the alerts topic's retention has already deleted is not seen until the
 * device's next alert event.
 */
public final class FleetView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetView.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ASSIGN_RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final LiveBoard board;
    private final Set<String> kinds;
    private final List<String> scoreTopics;
    private final List<String> alertTopics;
    private final Deserializer<ScoreEvent> scores = ScoreEvent.serde().deserializer();
    private final Deserializer<AlertEvent> alerts = AlertEvent.serde().deserializer();
    private final AtomicLong unreadable = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private FleetView(String bootstrapServers, Map<String, Object> clientConfig, List<SensorKind> kinds,
                      LiveBoard board) {
        this.board = board;
        this.kinds = kinds.stream().map(SensorKind::name).collect(Collectors.toUnmodifiableSet());
        this.scoreTopics = kinds.stream().map(k -> k.kafka().scores()).distinct().toList();
        this.alertTopics = kinds.stream().map(k -> k.kafka().alerts()).distinct().toList();
        Map<String, Object> config = new HashMap<>(clientConfig); // SASL/SSL as the detector's own clients
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: nothing to commit
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-fleet-view-" + Long.toHexString(System.nanoTime()));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "vigil-fleet-view");
        thread.setDaemon(true);
    }

    /** Starts reading the kinds' scores and alerts topics onto {@code board} in a thread of its own. */
    public static FleetView start(String bootstrapServers, Map<String, Object> clientConfig,
                                  List<SensorKind> kinds, LiveBoard board) {
        FleetView view = new FleetView(bootstrapServers, clientConfig, kinds, board);
        view.thread.start();
        return view;
    }

    /** Score and alert records that did not parse, skipped. */
    public long unreadable() {
        return unreadable.get();
    }

    private void run() {
        try {
            while (running && !assign()) {
                Thread.sleep(ASSIGN_RETRY.toMillis());
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    show(record);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("fleet view stopped; the live page and per-device gauges no longer change", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition of every topic; false while one of them does not exist yet. */
    private boolean assign() {
        List<TopicPartition> fromEnd = partitions(scoreTopics);
        List<TopicPartition> fromStart = partitions(alertTopics);
        if (fromEnd == null || fromStart == null) {
            return false;
        }
        List<TopicPartition> all = new ArrayList<>(fromEnd);
        all.addAll(fromStart);
        consumer.assign(all);
        consumer.seekToEnd(fromEnd);
        consumer.seekToBeginning(fromStart);
        LOG.info("fleet view: {} score partitions from their end, {} alert partitions from their beginning",
                fromEnd.size(), fromStart.size());
        return true;
    }

    /** Every partition of {@code topics}; null while one is missing or Kafka does not answer (tried again). */
    private List<TopicPartition> partitions(List<String> topics) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic);
            } catch (TimeoutException e) { // Kafka away at start: the detector waits for it too
                LOG.warn("fleet view: no partitions of {} yet ({}); trying again", topic, e.getMessage());
                return null;
            }
            if (infos == null || infos.isEmpty()) {
                return null;
            }
            infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
        }
        return all;
    }

    private void show(ConsumerRecord<String, byte[]> record) {
        try {
            if (scoreTopics.contains(record.topic())) {
                ScoreEvent score = scores.deserialize(record.topic(), record.value());
                if (kinds.contains(score.kind())) {
                    board.scored(score.kind(), score.deviceId(), score.score(), score.threshold(), score.windowEnd(),
                            System.currentTimeMillis());
                }
            } else {
                AlertEvent alert = alerts.deserialize(record.topic(), record.value());
                if (kinds.contains(alert.kind())) {
                    board.alert(alert.kind(), alert.deviceId(), alert.state() == AlertEvent.State.RAISED,
                            new LiveBoard.AlertNote(alert.kind(), alert.deviceId(), alert.alertId(),
                                    alert.state().name(), alert.severity().name(), alert.peakScore(),
                                    alert.threshold(), alert.detectedAt()));
                }
            }
        } catch (RuntimeException e) { // a record no detector wrote: skipped, counted, logged once
            if (unreadable.getAndIncrement() == 0) {
                LOG.warn(String.format(Locale.ROOT, "fleet view: skipping unreadable record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage()));
            }
        }
    }

    /** Stops the consumer thread. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
