package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.config.ConfigException;
import io.vigil.testkit.TestModels;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector's lifecycle without a broker: models checked first, meters bound while it runs and gone after. */
class DetectorTest {

    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    /** Nothing listens here: Kafka Streams starts and keeps looking for the cluster until it is closed. */
    static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void aMissingModelBundleFailsBeforeAnythingStarts(@TempDir Path dir) {
        // given
        Path missing = dir.resolve("missing.zip");
        Detector.Builder builder = Detector.builder()
                .bootstrapServers(NO_BROKER)
                .kinds(List.of(VIBRATION))
                .model(VIBRATION.name(), missing);

        // when / then
        assertThatThrownBy(builder::checkModels)
                .isInstanceOf(ConfigException.class)
                .hasMessage("no model bundle for kind 'vibration' at " + missing
                        + " (create it with 'vigil train --topology vibration --data DATA', which saves there)");
    }

    @Test
    void closeStopsKafkaStreamsAndUnbindsItsMeters(@TempDir Path dir) throws InterruptedException {
        // given a detector started on a cluster that is not there
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Detector detector = Detector.builder()
                .bootstrapServers(NO_BROKER)
                .kinds(List.of(VIBRATION))
                .model(VIBRATION.name(), TestModels.vibration(VIBRATION))
                .applicationId("detector-test")
                .stateDir(dir.resolve("state"))
                .metrics(registry)
                .start();
        assertThat(detector.state()).isEqualTo(KafkaStreams.State.REBALANCING);
        assertThat(kafkaMeters(registry)).isNotEmpty();
        assertThat(threadNames()).contains(FLEET_VIEW_THREAD);

        // when
        detector.close();

        // then
        assertThat(detector.awaitStopped()).as("stopped in ERROR").isFalse();
        assertThat(detector.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(kafkaMeters(registry)).isEmpty();
        assertThat(threadNames()).doesNotContain(FLEET_VIEW_THREAD);
    }

    private static final String FLEET_VIEW_THREAD = "vigil-fleet-view";

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    private static List<String> kafkaMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .filter(name -> name.startsWith("kafka.")).toList();
    }
}
