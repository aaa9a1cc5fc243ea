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
import org.junit.jupiter.api.Test;

/**
 * SKAB {@code valve1} under SKAB's protocol, through {@code vigil evaluate}'s own code and
 * {@code topologies/skab.yaml}: each run's first 400 rows are its normal (they train the model,
 * standardize the run and set its threshold), every sample is then judged by the window ending at it,
 * and the 16 runs are scored as one binary classification. The topology's settings were chosen on
 * runs 0-7 (selection part); runs 8-15 are the test part. A long quality test (a training run, about
 * two minutes on two cores): failsafe runs it ({@code *IT}), it needs no broker. Prints every number.
 */
@Quality
class SkabQualityIT {

    static final SensorKind TOPOLOGY = SensorKindLoader.load(Path.of("topologies/skab.yaml"));
    /** SKAB leaderboard's best outlier detectors (Conv-AE, MSET): F1 0.78. */
    static final double LEADERBOARD_BEST = 0.78;

    static SensorEvaluation.Result result;

    @BeforeAll
    static void evaluate() {
        Path valve1 = SharedData.folder("skab").resolve("valve1");
        result = new SensorEvaluation(TOPOLOGY, Trainer.Settings.defaults(TOPOLOGY).withEpochs(10), System.out::println)
                .run(new SensorEvaluation.Options(List.of(valve1), List.of(), "[0-7]"), null);
        for (Part p : result.parts()) {
            for (Row r : p.rows()) {
                System.out.printf(Locale.ROOT, "SKAB valve1 %-9s %-18s point F1 %.3f, AUC %.3f, spans %d/%d, false "
                                + "alarms %d%n", p.name(), r.detector(), r.metrics().points().f1(), r.metrics().auc(),
                        r.metrics().spansAlerted(), r.metrics().spans(), r.metrics().falseAlarms());
            }
        }
    }

    @Test
    void pointF1OverAllRunsReachesTheLeaderboardsBest() {
        assertThat(result.part("all").model().metrics().points().f1()).isGreaterThanOrEqualTo(LEADERBOARD_BEST);
    }

    @Test
    void onTheTestRunsTheModelBeatsEveryBaselinesPointF1() {
        Part test = result.part("test");
        double model = test.model().metrics().points().f1();
        for (Row baseline : test.rows().subList(1, test.rows().size())) {
            assertThat(model).as("model vs %s", baseline.detector()).isGreaterThan(baseline.metrics().points().f1());
        }
    }
}
