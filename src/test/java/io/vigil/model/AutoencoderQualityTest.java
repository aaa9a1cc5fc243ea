package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quality on the simulator, with the production trainer and scorer: train on the healthy fleet
 * (simulator/healthy.yaml), then score unseen devices of simulator/faults.yaml.
 */
class AutoencoderQualityTest {

    static final SensorTopology TOPOLOGY = TopologyLoader.load(Path.of("topologies/vibration.yaml"));
    static final long START = Fleet.REPRODUCIBLE_START_MS;
    static final long FAULT_START = START + 60_000;   // faults.yaml: every fault begins 60 s in
    static final long GRADUAL_HALF_DONE = START + 90_000; // gradual drift runs 60 s → 120 s

    static ModelBundle bundle;
    static Map<String, Scored> faults = new TreeMap<>();

    record Scored(DeviceSeries series, List<Window> windows, List<WindowScore> scores) {
    }

    @BeforeAll
    static void trainOnHealthyFleetAndScoreTheFaultFleet() {
        List<DeviceSeries> healthy = Fleet.of(ScenarioLoader.load(Path.of("simulator/healthy.yaml"))).generate(START);
        Trainer.Settings settings = Trainer.Settings.defaults(TOPOLOGY).withEpochs(15).withMaxTrainWindows(1500);
        bundle = new Trainer(TOPOLOGY, settings, Trainer.Progress.NONE).train(healthy, List.of("healthy.yaml"));
        WindowScorer scorer = bundle.scorer();
        for (DeviceSeries device : Fleet.of(ScenarioLoader.load(Path.of("simulator/faults.yaml"))).generate(START)) {
            List<Window> windows = Windows.cut(device, Windower.Shape.of(TOPOLOGY));
            faults.put(device.device(), new Scored(device, windows, scorer.score(windows)));
        }
    }

    @Test
    void atMostOnePercentOfHealthyWindowsScoreAboveThreshold() {
        List<Double> healthy = new ArrayList<>();
        faults.values().forEach(d -> {
            for (int i = 0; i < d.windows.size(); i++) {
                if (labelsIn(d, d.windows.get(i)) == Labels.ALL_HEALTHY) {
                    healthy.add(d.scores.get(i).score());
                }
            }
        });

        assertThat(healthy).hasSizeGreaterThan(3000);
        assertThat(shareAbove(healthy)).isLessThanOrEqualTo(0.01);
    }

    @Test
    void atLeast99PercentOfBrokenStateWindowsScoreAboveThreshold() {
        // sudden and intermittent faults switch straight to the broken parameters: label 1 = broken state
        List<Double> broken = new ArrayList<>();
        for (String device : List.of("eval-02", "eval-05", "eval-04", "eval-07")) {
            Scored d = faults.get(device);
            for (int i = 0; i < d.windows.size(); i++) {
                if (labelsIn(d, d.windows.get(i)) == Labels.ALL_FAULTY) {
                    broken.add(d.scores.get(i).score());
                }
            }
        }

        assertThat(broken).hasSizeGreaterThan(1000);
        assertThat(shareAbove(broken)).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aGradualFaultRaisesAnAlertBeforeItsDriftIsHalfDone() {
        for (String device : List.of("eval-03", "eval-06")) {
            Scored d = faults.get(device);
            long raisedAt = firstAlertWindowEnd(d);

            assertThat(raisedAt).as(device).isBetween(FAULT_START, GRADUAL_HALF_DONE);
        }
    }

    @Test
    void healthyDevicesNeverRaiseAnAlert() {
        for (String device : List.of("eval-01", "eval-08", "eval-09")) {
            assertThat(firstAlertWindowEnd(faults.get(device))).as(device).isEqualTo(Long.MAX_VALUE);
        }
    }

    /** End of the window that completes the first run of raiseAfter windows over threshold. */
    private static long firstAlertWindowEnd(Scored d) {
        int run = 0;
        for (int i = 0; i < d.windows.size(); i++) {
            run = d.scores.get(i).score() > bundle.metadata().threshold() ? run + 1 : 0;
            if (run == TOPOLOGY.alert().raiseAfter()) {
                return d.windows.get(i).endMs();
            }
        }
        return Long.MAX_VALUE;
    }

    private static double shareAbove(List<Double> scores) {
        double threshold = bundle.metadata().threshold();
        return scores.stream().filter(s -> s > threshold).count() / (double) scores.size();
    }

    enum Labels { ALL_HEALTHY, ALL_FAULTY, MIXED }

    private static Labels labelsIn(Scored d, Window w) {
        long[] ts = d.series.ts();
        int from = java.util.Arrays.binarySearch(ts, w.startMs());
        int to = java.util.Arrays.binarySearch(ts, w.endMs());
        int faulty = 0;
        for (int i = from; i <= to; i++) {
            faulty += d.series.labels()[i];
        }
        return faulty == 0 ? Labels.ALL_HEALTHY : faulty == to - from + 1 ? Labels.ALL_FAULTY : Labels.MIXED;
    }
}
