package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Window;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Point, window and alert-episode counts of one detector on hand-built verdicts. */
class PartMetricsTest {

    /**
     * 10 samples at t = 0..9, labelled anomalous at 5..7; one window ending at each sample from t = 1,
     * the first two in warm-up (no threshold), threshold 1 afterwards.
     */
    static Judged judged(double... scores) {
        long[] ts = new long[10];
        double[][] values = new double[10][];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            ts[i] = i;
            values[i] = new double[] {0};
            labels[i] = i >= 5 && i <= 7 ? 1 : 0;
        }
        DeviceSeries series = new DeviceSeries("d", ts, values, labels);
        List<Window> windows = new ArrayList<>();
        Double[] thresholds = new Double[9];
        int[] windowLabels = new int[9];
        for (int w = 0; w < 9; w++) {
            windows.add(new Window(w, w + 1, new float[][] {{0, 0}}));
            thresholds[w] = w < 2 ? null : 1.0;
            windowLabels[w] = labels[w + 1];
        }
        return new Judged(series, windows, scores, thresholds, windowLabels);
    }

    @Test
    void pointsWindowsAndEpisodes() {
        // given: windows ending at t = 1..9; over threshold at t = 3 (a lone false alarm), 5, 6, 7 (the span)
        //        and 1 (warm-up: not judged, however high)
        Judged j = judged(9, 0, 2, 0, 2, 2, 2, 0, 0);

        // when: one window over threshold raises, one under clears
        PartMetrics m = PartMetrics.of(List.of(j), "k", new AlertPolicy(null, 1, 1));

        // then: samples 3, 5, 6, 7 flagged: 3 true, 1 false; samples 0-2 (before/inside warm-up) not
        assertThat(m.points()).isEqualTo(new BinaryMetrics(3, 1, 6, 0));
        assertThat(m.windows()).isEqualTo(new BinaryMetrics(3, 1, 5, 0));
        // alerts raised at t = 3 (outside) and 5 (inside the span), cleared at 4 and 8
        assertThat(m.alertPoints()).isEqualTo(new BinaryMetrics(3, 1, 6, 0));
        assertThat(m.spans()).isEqualTo(1);
        assertThat(m.spansAlerted()).isEqualTo(1);
        assertThat(m.falseAlarms()).isEqualTo(1);
        // judged normal windows end at t = 3, 4, 8, 9: one flagged
        assertThat(m.falseAlarmRate()).isEqualTo(0.25);
        // anomalous windows (2, 2, 2) beat three normal ones (0) and tie the fourth (2): (9 + 3 × 0.5) / 12
        assertThat(m.auc()).isEqualTo(0.875);
    }

    @Test
    void recallAtAFalseAlarmRateMovesTheCut() {
        // judged normal windows score 3, 0.5, 0, 0; anomalous ones 2, 2, 1.5
        Judged j = judged(0, 0, 3, 0.5, 2, 2, 1.5, 0, 0);

        // no false alarm allowed: the cut sits at the highest normal score (3), nothing anomalous above it
        assertThat(PartMetrics.recallAtFalseAlarmRate(List.of(j), 0.0)).isEqualTo(0.0);
        // one of four normal windows may be over: the cut is the next normal score (0.5), all three are above
        assertThat(PartMetrics.recallAtFalseAlarmRate(List.of(j), 0.25)).isEqualTo(1.0);
    }
}
