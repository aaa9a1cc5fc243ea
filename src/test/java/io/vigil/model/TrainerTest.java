package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training that visibly learns: the loss curve and explained variance in the bundle, and no bundle from a network that did not move. */
class TrainerTest {

    static final SensorKind TOPOLOGY = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
    static final List<DeviceSeries> SERIES = Fleet.of(new Scenario("tiny", 7, "vibration", 2, "d-", 100, 20, 0.0,
            List.of())).generate(Fleet.REPRODUCIBLE_START_MS);

    @Test
    void theSummaryCarriesEveryEpochsLossesAndTheExplainedVariance() {
        // when
        ModelBundle bundle = new Trainer(TOPOLOGY, Trainer.Settings.defaults(TOPOLOGY).withEpochs(3),
                Trainer.Progress.NONE).train(SERIES, List.of("tiny"));

        // then: one loss per epoch run, the kept epoch's among them; the Lorenz signal is smooth, so a network
        // that learned it explains well above the floor
        BundleMetadata.TrainingSummary t = bundle.metadata().training();
        assertThat(t.trainLosses()).hasSize(t.epochs());
        assertThat(t.validationLosses()).hasSize(t.epochs()).contains(t.validationLoss());
        assertThat(t.explainedVariance()).isGreaterThan(Trainer.MIN_EXPLAINED_VARIANCE);
        assertThat(t.explainedPerFeature()).hasSize(3).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(1));
        assertThat(bundle.metadata().frontEnd()).isEqualTo("blocks 1 mean");
    }

    @Test
    void aNetworkThatDidNotMoveFromItsInitialWeightsIsRefused() {
        // given: a learning rate so small that the weights stay where they were initialized
        Trainer.Settings settings = Trainer.Settings.defaults(TOPOLOGY).withEpochs(1)
                .withSpec(new AutoencoderSpec(3, TOPOLOGY.window(), 16, 8, 1e-12, 42));

        // when / then
        assertThatThrownBy(() -> new Trainer(TOPOLOGY, settings, Trainer.Progress.NONE).train(SERIES, List.of("tiny")))
                .isInstanceOf(Trainer.NothingLearned.class)
                .hasMessageStartingWith("vibration: the trained network reconstructs ")
                .hasMessageContaining("it learned nothing");
    }

    @Test
    void anotherTrainingSeedKeepsTheHeldOutDevicesAndTrainsAnotherNetwork() {
        // given 20 devices, a fifth of them held out when splitting by device, and the same settings with seed 7
        List<DeviceSeries> fleet = Fleet.of(new Scenario("twenty", 7, "vibration", 20, "d-", 100, 2, 0.0,
                List.of())).generate(Fleet.REPRODUCIBLE_START_MS);
        Trainer.Settings seed42 = Trainer.Settings.defaults(TOPOLOGY).withEpochs(1).withSplitByDevice(true);
        Trainer.Settings seed7 = seed42.withSeed(7);

        // when
        ModelBundle a = new Trainer(TOPOLOGY, seed42, Trainer.Progress.NONE).train(fleet, List.of("twenty"));
        ModelBundle b = new Trainer(TOPOLOGY, seed7, Trainer.Progress.NONE).train(fleet, List.of("twenty"));

        // then the held-out devices are the same four (another split seed draws others), the networks are not
        assertThat(Trainer.heldOutDevices(fleet, seed7)).hasSize(4)
                .isEqualTo(Trainer.heldOutDevices(fleet, seed42))
                .isNotEqualTo(Trainer.heldOutDevices(fleet, new Trainer.Settings(seed42.engine(), 1, 64, 0.2, true, 4,
                        0, seed42.quantile(), seed42.margin(), seed42.spec(), 7)));
        assertThat(b.metadata().spec().seed()).isEqualTo(7);
        assertThat(a.metadata().spec().seed()).isEqualTo(AutoencoderSpec.DEFAULT_SEED);
        assertThat(b.metadata().training().validationWindows()).isEqualTo(a.metadata().training().validationWindows());
        assertThat(b.metadata().training().trainLosses()).isNotEqualTo(a.metadata().training().trainLosses());
    }
}
