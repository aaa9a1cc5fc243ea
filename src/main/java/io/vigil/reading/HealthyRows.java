package io.vigil.reading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The healthy rows of a series that carries labelled anomalies: each run of normal samples becomes
 * its own series (same device id), so no training window spans an anomaly or joins the rows on its
 * two sides. An unlabelled series is healthy as a whole.
 */
public final class HealthyRows {

    private HealthyRows() {
    }

    public static List<DeviceSeries> of(DeviceSeries series) {
        if (!series.labelled()) {
            return List.of(series);
        }
        List<DeviceSeries> runs = new ArrayList<>();
        int[] labels = series.labels();
        for (int i = 0; i < labels.length; ) {
            if (labels[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < labels.length && labels[j] == 0) {
                j++;
            }
            runs.add(slice(series, i, j));
            i = j;
        }
        return runs;
    }

    public static DeviceSeries slice(DeviceSeries s, int from, int to) {
        return new DeviceSeries(s.device(), Arrays.copyOfRange(s.ts(), from, to),
                Arrays.copyOfRange(s.values(), from, to), s.labels() == null ? null : Arrays.copyOfRange(s.labels(), from, to));
    }
}
