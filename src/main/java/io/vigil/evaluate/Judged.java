package io.vigil.evaluate;

import io.vigil.model.Window;
import io.vigil.reading.DeviceSeries;
import io.vigil.stream.AlertEvent;
import io.vigil.stream.AlertState;
import io.vigil.stream.ScoreEvent;
import io.vigil.kind.SensorKind.AlertPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One detector's verdict on one recording: every window's score, the threshold it was held against
 * (null during the device's warm-up: no verdict, no alert) and its label (its last sample's).
 */
public record Judged(DeviceSeries series, List<Window> windows, double[] scores, Double[] thresholds, int[] labels) {

    public boolean flagged(int i) {
        return thresholds[i] != null && scores[i] > thresholds[i];
    }

    public boolean judged(int i) {
        return thresholds[i] != null;
    }

    /**
     * The score in units of its threshold ({@code > 1} = flagged), so that windows of devices with
     * different thresholds rank on one scale; a threshold of 0 or less falls back to the difference + 1.
     */
    public double relative(int i) {
        double t = thresholds[i];
        return t > 0 ? scores[i] / t : scores[i] - t + 1;
    }

    /** Per sample: flagged when the latest window ending at or before it is flagged (SKAB's point protocol). */
    public int[] pointFlags() {
        long[] ts = series.ts();
        int[] flags = new int[ts.length];
        int w = -1;
        for (int j = 0; j < ts.length; j++) {
            while (w + 1 < windows.size() && windows.get(w + 1).endMs() <= ts[j]) {
                w++;
            }
            flags[j] = w >= 0 && windows.get(w).endMs() > ts[j] - gapTolerance() && flagged(w) ? 1 : 0;
        }
        return flags;
    }

    /** A window older than this many ms before a sample does not speak for it (a gap reset the windows). */
    private long gapTolerance() {
        if (windows.size() < 2) {
            return Long.MAX_VALUE / 4;
        }
        long[] ends = windows.stream().mapToLong(Window::endMs).toArray();
        long[] steps = new long[ends.length - 1];
        for (int i = 1; i < ends.length; i++) {
            steps[i - 1] = ends[i] - ends[i - 1];
        }
        Arrays.sort(steps);
        return Math.max(1, steps[steps.length / 2]) * 10;
    }

    /** The labelled spans of the recording: {start, end} times of each run of anomalous samples. */
    public List<long[]> spans() {
        List<long[]> spans = new ArrayList<>();
        int[] labels = series.labels();
        long[] ts = series.ts();
        for (int i = 0; labels != null && i < labels.length; i++) {
            if (labels[i] == 1 && (i == 0 || labels[i - 1] == 0)) {
                int j = i;
                while (j + 1 < labels.length && labels[j + 1] == 1) {
                    j++;
                }
                spans.add(new long[] {ts[i], ts[j]});
            }
        }
        return spans;
    }

    /** End times of the windows that RAISED an alert, through the stream's own alert rule; warm-up windows skipped. */
    public List<Long> raisedAt(String kind, AlertPolicy policy) {
        List<Long> raised = new ArrayList<>();
        alertFlags(kind, policy, raised);
        return raised;
    }

    /**
     * Per sample: 1 while the device is in alert — from the window that RAISED it up to, not including,
     * the window that CLEARED it: what the stream's alerts say about each sample.
     */
    public int[] alertPointFlags(String kind, AlertPolicy policy) {
        return alertFlags(kind, policy, new ArrayList<>());
    }

    private int[] alertFlags(String kind, AlertPolicy policy, List<Long> raised) {
        long[] ts = series.ts();
        int[] flags = new int[ts.length];
        int p = 0;
        boolean active = false;
        AlertState state = null;
        for (int i = 0; i < scores.length; i++) {
            if (!judged(i)) {
                continue;
            }
            Window w = windows.get(i);
            ScoreEvent event = new ScoreEvent(series.device(), kind, w.startMs(), w.endMs(), scores[i], thresholds[i],
                    "eval", Map.of());
            AlertState.Step step = AlertState.next(state, event, policy, w.endMs());
            while (p < ts.length && ts[p] < w.endMs()) {
                flags[p++] = active ? 1 : 0;
            }
            if (step.event() != null) {
                active = step.event().state() == AlertEvent.State.RAISED;
                if (active) {
                    raised.add(w.endMs());
                }
            }
            state = step.state();
        }
        while (p < ts.length) {
            flags[p++] = active ? 1 : 0;
        }
        return flags;
    }
}
