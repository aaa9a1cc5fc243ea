package io.vigil.evaluate;

import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One detector's quality on a set of recordings.
 *
 * @param auc          ROC AUC of judged windows (after warm-up) on the score relative to its threshold
 * @param windows      window counts at the threshold; warm-up windows count as not flagged
 * @param points       sample counts, a sample flagged when the latest window ending at it is (SKAB's protocol)
 * @param alertPoints  sample counts, a sample flagged while its device is in alert (the stream's output)
 * @param spans        labelled spans (runs of anomalous samples)
 * @param spansAlerted spans in which an alert was RAISED (the stream's alert rule)
 * @param falseAlarms  alerts RAISED outside every labelled span
 * @param falseAlarmRate share of judged normal windows flagged
 */
public record PartMetrics(int recordings, double auc, BinaryMetrics windows, BinaryMetrics points,
                          BinaryMetrics alertPoints, int spans,
                          int spansAlerted, int falseAlarms, double falseAlarmRate) {

    public static PartMetrics of(List<Judged> judged, String kind, AlertPolicy policy) {
        double[] relative = judged.stream().flatMapToDouble(j -> IntStream.range(0, j.scores().length)
                .filter(j::judged).mapToDouble(j::relative)).toArray();
        int[] judgedLabels = judged.stream().flatMapToInt(j -> IntStream.range(0, j.scores().length)
                .filter(j::judged).map(i -> j.labels()[i])).toArray();
        long tp = 0, fp = 0, tn = 0, fn = 0;
        long ptp = 0, pfp = 0, ptn = 0, pfn = 0;
        long atp = 0, afp = 0, atn = 0, afn = 0;
        int spans = 0, alerted = 0, falseAlarms = 0;
        long judgedNormal = 0, judgedNormalFlagged = 0;
        for (Judged j : judged) {
            for (int i = 0; i < j.scores().length; i++) {
                boolean flag = j.flagged(i);
                boolean anomalous = j.labels()[i] == 1;
                if (anomalous) {
                    tp += flag ? 1 : 0;
                    fn += flag ? 0 : 1;
                } else {
                    fp += flag ? 1 : 0;
                    tn += flag ? 0 : 1;
                    if (j.judged(i)) {
                        judgedNormal++;
                        judgedNormalFlagged += flag ? 1 : 0;
                    }
                }
            }
            int[] flags = j.pointFlags();
            int[] labels = j.series().labels();
            int[] alerts = j.alertPointFlags(kind, policy);
            for (int p = 0; p < flags.length; p++) {
                if (labels[p] == 1) {
                    atp += alerts[p];
                    afn += 1 - alerts[p];
                } else {
                    afp += alerts[p];
                    atn += 1 - alerts[p];
                }
                if (labels[p] == 1) {
                    ptp += flags[p];
                    pfn += 1 - flags[p];
                } else {
                    pfp += flags[p];
                    ptn += 1 - flags[p];
                }
            }
            List<long[]> labelled = j.spans();
            List<Long> raised = j.raisedAt(kind, policy);
            spans += labelled.size();
            for (long[] span : labelled) {
                alerted += raised.stream().anyMatch(t -> t >= span[0] && t <= span[1]) ? 1 : 0;
            }
            falseAlarms += (int) raised.stream().filter(t -> labelled.stream().noneMatch(s -> t >= s[0] && t <= s[1]))
                    .count();
        }
        return new PartMetrics(judged.size(), BinaryMetrics.rocAuc(relative, judgedLabels),
                new BinaryMetrics(tp, fp, tn, fn), new BinaryMetrics(ptp, pfp, ptn, pfn), new BinaryMetrics(atp, afp, atn, afn), spans, alerted, falseAlarms,
                judgedNormal == 0 ? Double.NaN : (double) judgedNormalFlagged / judgedNormal);
    }

    /**
     * Window recall of {@code judged} when its relative-score cut is moved so that it flags
     * {@code falseAlarmRate} of its judged normal windows: the model's recall at a baseline's false-alarm rate.
     */
    public static double recallAtFalseAlarmRate(List<Judged> judged, double falseAlarmRate) {
        double[] normal = judged.stream().flatMapToDouble(j -> IntStream.range(0, j.scores().length)
                .filter(i -> j.judged(i) && j.labels()[i] == 0).mapToDouble(j::relative)).toArray();
        double[] anomalous = judged.stream().flatMapToDouble(j -> IntStream.range(0, j.scores().length)
                .filter(i -> j.judged(i) && j.labels()[i] == 1).mapToDouble(j::relative)).toArray();
        if (normal.length == 0 || anomalous.length == 0 || Double.isNaN(falseAlarmRate)) {
            return Double.NaN;
        }
        Arrays.sort(normal);
        int allowed = (int) Math.floor(falseAlarmRate * normal.length); // normal windows that may lie above the cut
        double cut = allowed >= normal.length ? Double.NEGATIVE_INFINITY : normal[normal.length - 1 - allowed];
        return Arrays.stream(anomalous).filter(v -> v > cut).count() / (double) anomalous.length;
    }
}
