package io.vigil.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Trainer;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window labels, AUC per fault group and detection delay on hand-built series with a stub scorer. */
class SensorEvaluationTest {

    /** Window score = the window's last value: windows are scored by what they hold, no model. */
    static final class LastValueScorer implements WindowScorer {
        @Override
        public List<WindowScore> score(List<Window> windows) {
            return windows.stream().map(w -> new WindowScore(w.values()[0][w.length() - 1], new double[] {1})).toList();
        }

        @Override
        public double threshold() {
            return 5;
        }

        @Override
        public String modelVersion() {
            return "stub";
        }
    }

    static SensorKind sensorKind() {
        // 1 feature, window 2, hop 1, 1 kHz, raise after 2 windows over threshold
        return new SensorKind("t", List.of("v"), 1000, 2, 1, SensorKind.Preprocess.NONE,
                new SensorKind.PayloadMapping("ts", java.util.Map.of("v", "v"), "samples", "rateHz"),
                new SensorKind.CsvMapping("ts", "device", "label"), Path.of("m"), new AlertPolicy(null, 2, 3),
                "vigil/t/+", new SensorKind.KafkaTopics("r", "s", "a", "d"));
    }

    static DeviceSeries series(String device, double[] values, int[] labels) {
        long[] ts = new long[values.length];
        double[][] rows = new double[values.length][];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 1000 + i;
            rows[i] = new double[] {values[i]};
        }
        return new DeviceSeries(device, ts, rows, labels);
    }

    @Test
    void aucPerFaultGroupAndDetectionDelay() {
        // given a healthy tail scoring 1..3, and one fault in two loads; the fault starts at sample 2
        DeviceSeries healthy = series("rig_OK_00lb", new double[] {1, 2, 3, 1}, new int[] {0, 0, 0, 0});
        DeviceSeries fault0 = series("rig_BAD_00lb", new double[] {2, 2, 6, 7, 8}, new int[] {0, 0, 1, 1, 1});
        DeviceSeries fault11 = series("rig_BAD_11lb", new double[] {9, 9, 9}, new int[] {1, 1, 1});

        // when
        SensorEvaluation.Result r = new SensorEvaluation(sensorKind(), null, line -> { })
                .evaluate(null, new LastValueScorer(), List.of(healthy, fault0, fault11));

        // then windows end at samples 1..n-1 and take their last sample's label
        assertThat(r.recordings().get(1).labels()).containsExactly(0, 1, 1, 1);
        // healthy windows score 2, 3, 1; faulty 6, 7, 8, 9, 9 and one label-0 window (2) of the fault file
        assertThat(r.perGroup()).containsExactly(new SensorEvaluation.GroupAuc("rig_BAD", 5, 1.0, 1.0));
        assertThat(r.atThreshold()).isEqualTo(new BinaryMetrics(5, 0, 4, 0));
        // the fault starts at t=1002; windows ending 1002 and 1003 are over 5: raised at 1003
        assertThat(r.recordings().get(1).delayMs()).isEqualTo(1L);
        assertThat(r.recordings().get(0).delayMs()).isNull();
        assertThat(r.auc()).isEqualTo(1.0);
    }

    @Test
    void eachRecordingIsJudgedAgainstItsOwnWarmUpNextToTheBaselines() {
        // given: window 2, hop 1; each recording's first 2 windows set its threshold (their highest score);
        // device b runs at a level 10 times a's, far over the model's one threshold (5)
        SensorKind base = sensorKind();
        SensorKind calibrated = new SensorKind(base.name(), base.features(), base.sampleRateHz(), 2, 1,
                base.preprocess(), base.payload(), base.csv(), base.modelPath(),
                new AlertPolicy(null, 2, 3, null, new SensorKind.Calibrate(2, false, 1.0, 0.0)),
                base.mqttTopicFilter(), base.kafka());
        int[] labels = {0, 0, 0, 0, 1, 1, 0};
        DeviceSeries a = series("a", new double[] {1, 1, 1, 1, 5, 5, 1}, labels);
        DeviceSeries b = series("b", new double[] {10, 10, 10, 10, 14, 14, 10}, labels);
        DeviceSeries train = series("t", new double[] {1, 2, 1, 2, 1, 2}, null);

        // when
        SensorEvaluation.Result r = new SensorEvaluation(calibrated, Trainer.Settings.defaults(calibrated), line -> { })
                .evaluate(null, new LastValueScorer(), List.of(train), List.of(a, b), "a", "given");

        // then: windows end at samples 1..6; those ending at 1 and 2 are the warm-up (thresholds 1 and 10);
        // samples 4 and 5 of both are flagged, and each span raises on its 2nd window over (sample 5)
        assertThat(r.parts()).extracting(SensorEvaluation.Part::name).containsExactly("selection", "test", "all");
        assertThat(r.part("selection").devices()).containsExactly("a");
        PartMetrics model = r.part("all").model().metrics();
        assertThat(model.points()).isEqualTo(new BinaryMetrics(4, 0, 10, 0));
        assertThat(model.spansAlerted()).isEqualTo(2);
        assertThat(model.falseAlarms()).isZero();
        assertThat(r.recordings().get(1).delayMs()).isEqualTo(1L);
        // flag everything flags samples 3..6 of each recording (after the warm-up): 2 true, 2 false each
        SensorEvaluation.Row flagAll = r.part("all").rows().get(4);
        assertThat(flagAll.detector()).isEqualTo("flag everything");
        assertThat(flagAll.metrics().points()).isEqualTo(new BinaryMetrics(4, 4, 6, 0));
        assertThat(r.part("all").rows()).extracting(SensorEvaluation.Row::detector).containsExactly("Vigil (model)",
                "RMS z-score", "robust z", "windowed Gaussian", "flag everything");
    }

    @Test
    void underARollingFrontEndTheBaselinesJudgeTheRawLevelsAsWithoutOne() {
        // given: a rolling front-end over 2 samples makes its first frame at a series' 2nd sample, so its
        // windows end where a plain topology's windows end on the series without its first sample
        SensorKind base = sensorKind();
        AlertPolicy alert = new AlertPolicy(null, 2, 3, null, new SensorKind.Calibrate(2, false, 1.0, 0.0));
        SensorKind plain = new SensorKind(base.name(), base.features(), base.sampleRateHz(), 2, 1,
                base.preprocess(), base.payload(), base.csv(), base.modelPath(), alert, base.mqttTopicFilter(),
                base.kafka(), java.util.Map.of(), java.util.Map.of(), null, null);
        SensorKind rolling = new SensorKind(base.name(), base.features(), base.sampleRateHz(), 2, 1,
                base.preprocess(), base.payload(), base.csv(), base.modelPath(), alert, base.mqttTopicFilter(),
                base.kafka(), java.util.Map.of(), java.util.Map.of(), new SensorKind.Rolling(2), null);
        DeviceSeries a = series("a", new double[] {3, 1, 1, 2, 1, 5, 6, 1}, new int[] {0, 0, 0, 0, 0, 1, 1, 0});
        DeviceSeries train = series("t", new double[] {9, 1, 2, 1, 2, 1, 2}, null);

        // when
        SensorEvaluation.Result framed = new SensorEvaluation(rolling, Trainer.Settings.defaults(rolling), line -> { })
                .evaluate(null, new LastValueScorer(), List.of(train), List.of(a), null, "given");
        SensorEvaluation.Result raw = new SensorEvaluation(plain, Trainer.Settings.defaults(plain), line -> { })
                .evaluate(null, new LastValueScorer(), List.of(withoutFirst(train)), List.of(withoutFirst(a)), null,
                        "given");

        // then: every detector (the stub model scores the level, output 0) judges the same windows alike
        // (points differ by the framed series' first sample, never judged); had the baselines seen the
        // frames' change, mean and std, they would judge other values
        assertThat(framed.part("all").rows()).extracting(this::judgedWindows)
                .isEqualTo(raw.part("all").rows().stream().map(this::judgedWindows).toList());
    }

    private List<Object> judgedWindows(SensorEvaluation.Row row) {
        PartMetrics m = row.metrics();
        return List.of(row.detector(), m.windows(), m.auc(), m.spansAlerted(), m.falseAlarms());
    }

    private static DeviceSeries withoutFirst(DeviceSeries s) {
        int n = s.size() - 1;
        return new DeviceSeries(s.device(), java.util.Arrays.copyOfRange(s.ts(), 1, n + 1),
                java.util.Arrays.copyOfRange(s.values(), 1, n + 1),
                s.labels() == null ? null : java.util.Arrays.copyOfRange(s.labels(), 1, n + 1));
    }
}
