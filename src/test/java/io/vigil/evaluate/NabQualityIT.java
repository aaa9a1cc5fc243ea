package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.evaluate.SensorEvaluation.Part;
import io.vigil.evaluate.SensorEvaluation.Row;
import io.vigil.model.Trainer;
import io.vigil.testkit.Quality;
import io.vigil.testkit.SharedData;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * NAB's series in {@code ../shared/data/nab} through {@code vigil evaluate}'s own code and
 * {@code topologies/nab.yaml}: each series learns its normal on its first 400 windows (NAB's
 * probationary period; they also train the model), then every labelled anomaly window in which the
 * stream's alert rule raises an alert counts as found, every alert raised outside all windows as a
 * false alarm. Settings were chosen on {@code artificialWithAnomaly} (selection part); realTraffic
 * and realAWSCloudwatch are the test part. Bar: more labelled windows alerted than the windowed
 * Gaussian baseline (NAB's own) at no more false-alarm episodes. Prints every number.
 *
 * <p>The bar is not met by the settings chosen on the selection part (a rolling front-end, windows of
 * 48 frames): more test windows alerted than the windowed Gaussian, but three times its false alarms.
 * Numenta's anomaly likelihood ({@code alert.calibrate.likelihood}) was swept on the selection part
 * too and did not beat these settings there, so it is off (topologies/nab.yaml). The assertions stay as
 * the bar is, disabled with the measured numbers (the report regenerated with today's code gives the
 * same), until a detector meets it (run it with failsafe to see them).
 */
@Quality
class NabQualityIT {

    static final SensorKind TOPOLOGY = SensorKindLoader.load(Path.of("topologies/nab.yaml"));

    static SensorEvaluation.Result result;

    @BeforeAll
    static void evaluate() {
        Path nab = SharedData.folder("nab");
        result = new SensorEvaluation(TOPOLOGY, Trainer.Settings.defaults(TOPOLOGY).withEpochs(10), System.out::println)
                .run(new SensorEvaluation.Options(List.of(nab.resolve("artificialWithAnomaly"),
                        nab.resolve("realTraffic"), nab.resolve("realAWSCloudwatch")), List.of(), "art_*"), null);
        for (Part p : result.parts()) {
            for (Row r : p.rows()) {
                System.out.printf(Locale.ROOT, "NAB %-9s %-18s windows alerted %d/%d, false alarms %d, AUC %.3f%n",
                        p.name(), r.detector(), r.metrics().spansAlerted(), r.metrics().spans(),
                        r.metrics().falseAlarms(), r.metrics().auc());
            }
        }
    }

    /** Runs the evaluation (and prints its numbers) while the bar's tests are disabled; NAB's labels are all read. */
    @Test
    void everyLabelledWindowIsJudgedByTheModelAndEveryBaseline() {
        // labels.json gives 6 windows for artificialWithAnomaly and 44 for realTraffic + realAWSCloudwatch
        assertThat(result.part("selection").model().metrics().spans()).isEqualTo(6);
        assertThat(result.part("test").model().metrics().spans()).isEqualTo(44);
        assertThat(result.part("test").rows()).extracting(Row::detector).containsExactly("Vigil (model)",
                "RMS z-score", "robust z", "windowed Gaussian", "flag everything");
    }

    @Test
    @Disabled("bar not met (README, NAB): test part 16/44 windows alerted at 19 false alarms, windowed Gaussian "
            + "12/44 at 6; all series 20/50 at 19 against 13/50 at 9")
    void onTheTestSeriesMoreWindowsAlertedThanTheWindowedGaussianAtNoMoreFalseAlarms() {
        assertBeatsWindowedGaussian(result.part("test"));
    }

    @Test
    @Disabled("bar not met (README, NAB): all series 20/50 windows alerted at 19 false alarms, windowed Gaussian "
            + "13/50 at 9")
    void onAllSeriesMoreWindowsAlertedThanTheWindowedGaussianAtNoMoreFalseAlarms() {
        assertBeatsWindowedGaussian(result.part("all"));
    }

    private static void assertBeatsWindowedGaussian(Part part) {
        PartMetrics model = part.model().metrics();
        PartMetrics gaussian = part.rows().stream().filter(r -> r.detector().equals("windowed Gaussian")).findFirst()
                .orElseThrow().metrics();
        assertThat(model.spansAlerted()).as("labelled windows alerted").isGreaterThan(gaussian.spansAlerted());
        assertThat(model.falseAlarms()).as("false-alarm episodes").isLessThanOrEqualTo(gaussian.falseAlarms());
    }
}
