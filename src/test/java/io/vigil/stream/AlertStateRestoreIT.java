package io.vigil.stream;

import static io.vigil.stream.Fixtures.FAULTY;
import static io.vigil.stream.Fixtures.HEALTHY;
import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.metrics.LiveBoard;
import io.vigil.ingest.Topics;
import io.vigil.reading.SampleBatch;
import io.vigil.testkit.Kafka;
import io.vigil.testkit.RealBrokers;
import io.vigil.testkit.TopicReader;
import io.vigil.kind.SensorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open alert episodes live in the detector's alert store; what a detector process shows of them (the
 * live page, {@code vigil_device_alert} per device, {@code vigil_detector_alerts_active}) must follow that
 * store when a new process starts on it and when stream tasks move between processes. Each detector here
 * is a separate Kafka Streams client with its own registry and board, as separate processes have.
 */
@ExtendWith(RealBrokers.class)
class AlertStateRestoreIT {

    static final String APPLICATION_ID = "alert-restore-it";
    static final Set<String> FAULTY_DEVICES = Set.of("faulty-1", "faulty-2");
    static final Duration SETTLES = Duration.ofSeconds(90);

    @Test
    void openEpisodesAreShownAndCountedOnceAfterARestartAndWhenTasksMove(@TempDir Path dir, @Kafka EmbeddedKafka kafka) {
        // given two devices in an open alert episode (4 windows over threshold, raised after 3) and four healthy
        SensorKind kind = Fixtures.vibration(Fixtures.THRESHOLD);
        List<Map.Entry<String, SampleBatch>> readings = new ArrayList<>();
        FAULTY_DEVICES.forEach(d -> readings.add(Map.entry(d, batch(0, repeat(FAULTY, 10)))));
        for (int i = 1; i <= 4; i++) {
            readings.add(Map.entry("healthy-" + i, batch(0, repeat(HEALTHY, 10))));
        }
        String bootstrap = kafka.bootstrapServers();
        Topics.ensureAll(bootstrap, List.of(kind));
        try (InProcessDetector first = InProcessDetector.start(bootstrap, kind, APPLICATION_ID, dir.resolve("a"))) {
            InProcessDetector.send(bootstrap, kind.kafka().readings(), readings);
            TopicReader.await(bootstrap, kind.kafka().alerts(), r -> true, FAULTY_DEVICES.size(), SETTLES);
            await().atMost(SETTLES).until(() -> shown(first).equals(Map.of("faulty-1", 1.0, "faulty-2", 1.0)));
        }

        // when a new detector process starts on another state folder (everything restored from the changelogs)
        InProcessDetector second = InProcessDetector.start(bootstrap, kind, APPLICATION_ID, dir.resolve("b"));
        try {
            // then, with no new reading, it shows and counts the two open episodes
            assertThat(shown(second)).isEqualTo(Map.of("faulty-1", 1.0, "faulty-2", 1.0));
            assertThat(inAlert(second)).isEqualTo(FAULTY_DEVICES);
            assertThat(active(second)).isEqualTo(2);

            // when a third process joins and takes some of the tasks
            try (InProcessDetector third = InProcessDetector.start(bootstrap, kind, APPLICATION_ID,
                    dir.resolve("c"))) {
                // then between them each episode is shown by one process, and counted once
                await().atMost(SETTLES).untilAsserted(() -> {
                    Set<String> both = new TreeSet<>(inAlert(second));
                    both.addAll(inAlert(third));
                    assertThat(both).isEqualTo(FAULTY_DEVICES);
                    assertThat(inAlert(second)).doesNotContainAnyElementsOf(inAlert(third));
                    assertThat(active(second) + active(third)).isEqualTo(2);
                    assertThat(second.state().isRunningOrRebalancing() && third.state().isRunningOrRebalancing())
                            .isTrue();
                });
                System.out.printf("AlertStateRestoreIT: after the join, in alert on the second process %s (active"
                                + " %.0f), on the third %s (active %.0f)%n", inAlert(second), active(second),
                        inAlert(third), active(third));

                // when the second process leaves, the third owns every task
                second.close();
                await().atMost(SETTLES).untilAsserted(() -> {
                    assertThat(inAlert(third)).isEqualTo(FAULTY_DEVICES);
                    assertThat(active(third)).isEqualTo(2);
                });
            }
        } finally {
            second.close();
        }
    }

    /** Devices the process's live page shows in alert. */
    private static Set<String> inAlert(InProcessDetector detector) {
        return detector.board().devices().stream().filter(LiveBoard.DeviceState::alert)
                .map(LiveBoard.DeviceState::device).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code vigil_device_alert} per device that has the series and is at 1. */
    private static Map<String, Double> shown(InProcessDetector detector) {
        Map<String, Double> shown = new TreeMap<>();
        detector.registry().find(LiveBoard.DEVICE_ALERT).gauges().forEach(g -> {
            if (g.value() == 1) {
                shown.put(g.getId().getTag(LiveBoard.TAG_DEVICE), g.value());
            }
        });
        return shown;
    }

    private static double active(InProcessDetector detector) {
        return detector.registry().get(DetectorMetrics.ALERTS_ACTIVE).gauge().value();
    }
}
