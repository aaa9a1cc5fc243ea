package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.reading.DeviceSeries;
import io.vigil.simulator.FaultSchedule;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.Scenario;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.AlertState;
import io.vigil.stream.ScoreEvent;
import io.vigil.testkit.Quality;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quality on the simulator, with the production trainer and scorer: train on the healthy fleet
 * (simulator/healthy.yaml), then score unseen devices of simulator/faults.yaml. Which device is in which
 * state when comes from the scenario's own fault schedules; alerts come from the stream's {@link AlertState}.
 * The measured shares are printed, so the build log carries them.
 */
@Quality
class AutoencoderQualityIT {

    static final SensorKind TOPOLOGY = SensorKindLoader.load(Path.of("topologies/vibration.yaml"));
    static final Scenario FAULTS = ScenarioLoader.load(Path.of("simulator/faults.yaml"));
    static final long START = Fleet.REPRODUCIBLE_START_MS;

    static ModelBundle bundle;
    static Map<String, Scored> devices = new TreeMap<>();

    record Scored(DeviceSeries series, FaultSchedule schedule, List<Window> windows, List<WindowScore> scores) {
    }

    @BeforeAll
    static void trainOnHealthyFleetAndScoreTheFaultFleet() {
        List<DeviceSeries> healthy = Fleet.of(ScenarioLoader.load(Path.of("simulator/healthy.yaml"))).generate(START);
        Trainer.Settings settings = Trainer.Settings.defaults(TOPOLOGY).withEpochs(15).withMaxTrainWindows(1500);
        bundle = new Trainer(TOPOLOGY, settings, Trainer.Progress.NONE).train(healthy, List.of("healthy.yaml"));
        WindowScorer scorer = bundle.scorer();
        for (DeviceSeries device : Fleet.of(FAULTS).generate(START)) {
            List<Window> windows = Windows.cut(device, Windower.Shape.of(TOPOLOGY));
            devices.put(device.device(), new Scored(device, FAULTS.scheduleOf(device.device()), windows,
                    scorer.score(windows)));
        }
    }

    @Test
    void atMostOnePercentOfHealthyWindowsScoreAboveThreshold() {
        List<Double> healthy = scoresIn(State.HEALTHY, devices.keySet().stream().toList());

        double share = shareAbove(healthy);
        System.out.printf(Locale.ROOT, "AutoencoderQualityIT: healthy windows over threshold: %d of %d (%.2f %%)%n",
                Math.round(share * healthy.size()), healthy.size(), 100 * share);
        assertThat(healthy).hasSizeGreaterThan(3000);
        // the requirement, not a fit to one run: another CPU rounds training differently, which moves
        // the model as another seed does; measured 0.34-0.63 % over seeds 42, 7 and 99 and over
        // OpenBLAS's default, Haswell and Prescott kernels (OPENBLAS_CORETYPE) at seed 42
        assertThat(share).isLessThanOrEqualTo(0.01);
    }

    @Test
    void atLeast99PercentOfBrokenStateWindowsScoreAboveThreshold() {
        // broken state: every sample of the window at fault fraction 1 — sudden after the break,
        // intermittent inside a burst, gradual once its drift is complete (start + duration)
        Map<String, List<Double>> byMode = new TreeMap<>();
        for (String mode : List.of(FaultSchedule.SUDDEN, FaultSchedule.INTERMITTENT, FaultSchedule.GRADUAL)) {
            byMode.put(mode, scoresIn(State.BROKEN, devicesIn(mode)));
        }
        List<Double> broken = byMode.values().stream().flatMap(List::stream).toList();

        byMode.forEach((mode, scores) -> System.out.printf(Locale.ROOT,
                "AutoencoderQualityIT: %-12s broken-state windows over threshold: %d of %d (%.2f %%)%n", mode,
                Math.round(shareAbove(scores) * scores.size()), scores.size(), 100 * shareAbove(scores)));
        System.out.printf(Locale.ROOT, "AutoencoderQualityIT: all broken-state windows over threshold: %.2f %%%n",
                100 * shareAbove(broken));
        assertThat(byMode.values()).allSatisfy(scores -> assertThat(scores).hasSizeGreaterThan(300));
        assertThat(broken).hasSizeGreaterThan(1500);
        // 100 % in each of the five trainings above (three seeds, three OpenBLAS kernels)
        assertThat(shareAbove(broken)).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aGradualFaultRaisesAnAlertBeforeItsDriftIsHalfDone() {
        for (String device : devicesIn(FaultSchedule.GRADUAL)) {
            FaultSchedule.Gradual drift = (FaultSchedule.Gradual) devices.get(device).schedule;
            long begins = START + Math.round(1000 * drift.start());
            long halfDone = START + Math.round(1000 * (drift.start() + drift.duration() / 2));

            Long raisedAt = firstRaised(devices.get(device));

            System.out.printf(Locale.ROOT, "AutoencoderQualityIT: %s (gradual) raised %.1f s into its %.0f s drift%n",
                    device, raisedAt == null ? Double.NaN : (raisedAt - begins) / 1000.0, drift.duration());
            // 5.8-7.4 s into the drift in the five trainings above, against 30 s allowed
            assertThat(raisedAt).as(device).isNotNull().isBetween(begins, halfDone);
        }
    }

    @Test
    void healthyDevicesNeverRaiseAnAlert() {
        List<String> healthy = devicesIn(FaultSchedule.NONE);

        assertThat(healthy).containsExactly("eval-01", "eval-08", "eval-09");
        assertThat(healthy).allSatisfy(device -> assertThat(firstRaised(devices.get(device))).as(device).isNull());
    }

    /** End of the window that RAISED the device's first alert under the topology's policy, or null. */
    private static Long firstRaised(Scored d) {
        AlertState state = null;
        for (int i = 0; i < d.windows.size(); i++) {
            Window w = d.windows.get(i);
            ScoreEvent window = new ScoreEvent(d.series.device(), TOPOLOGY.name(), w.startMs(), w.endMs(),
                    d.scores.get(i).score(), bundle.metadata().threshold(), bundle.metadata().version(), Map.of());
            AlertState.Step step = AlertState.next(state, window, TOPOLOGY.alert(), w.endMs());
            if (step.event() != null && step.event().state() == AlertEvent.State.RAISED) {
                return w.endMs();
            }
            state = step.state();
        }
        return null;
    }

    private static List<String> devicesIn(String mode) {
        return devices.entrySet().stream().filter(e -> e.getValue().schedule.mode().equals(mode))
                .map(Map.Entry::getKey).toList();
    }

    private static List<Double> scoresIn(State wanted, List<String> names) {
        List<Double> scores = new ArrayList<>();
        for (String device : names) {
            Scored d = devices.get(device);
            for (int i = 0; i < d.windows.size(); i++) {
                if (stateOf(d, d.windows.get(i)) == wanted) {
                    scores.add(d.scores.get(i).score());
                }
            }
        }
        return scores;
    }

    private static double shareAbove(List<Double> scores) {
        double threshold = bundle.metadata().threshold();
        return scores.isEmpty() ? 0 : scores.stream().filter(s -> s > threshold).count() / (double) scores.size();
    }

    /** Healthy: fault fraction 0 at every sample; broken: 1 at every sample; else on the way between. */
    enum State { HEALTHY, BROKEN, BETWEEN }

    private static State stateOf(Scored d, Window w) {
        long[] ts = d.series.ts();
        int from = java.util.Arrays.binarySearch(ts, w.startMs());
        int to = java.util.Arrays.binarySearch(ts, w.endMs());
        int healthy = 0;
        int broken = 0;
        for (int i = from; i <= to; i++) {
            double fraction = d.schedule.fraction((ts[i] - START) / 1000.0);
            healthy += fraction == 0 ? 1 : 0;
            broken += fraction == 1 ? 1 : 0;
        }
        int samples = to - from + 1;
        return healthy == samples ? State.HEALTHY : broken == samples ? State.BROKEN : State.BETWEEN;
    }
}
