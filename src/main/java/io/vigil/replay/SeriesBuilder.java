package io.vigil.replay;

import io.vigil.reading.DeviceSeries;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Collects one device's samples in growable primitive arrays (a recording can hold millions of
 * samples) and turns them into a time-ordered {@link DeviceSeries}.
 */
final class SeriesBuilder {

    private final String device;
    private final int features;
    private long[] ts = new long[1024];
    private double[] values;
    private int[] labels = new int[1024];
    private int[] lines = new int[1024];
    private int size;

    SeriesBuilder(String device, int features) {
        this.device = device;
        this.features = features;
        this.values = new double[1024 * features];
    }

    void add(long time, double[] sample, int label, int line) {
        if (size == ts.length) {
            int grown = size * 2;
            ts = Arrays.copyOf(ts, grown);
            values = Arrays.copyOf(values, grown * features);
            labels = Arrays.copyOf(labels, grown);
            lines = Arrays.copyOf(lines, grown);
        }
        ts[size] = time;
        System.arraycopy(sample, 0, values, size * features, features);
        labels[size] = label;
        lines[size] = line;
        size++;
    }

    int size() {
        return size;
    }

    double mean(int feature) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i * features + feature];
        }
        return size == 0 ? 0 : sum / size;
    }

    void subtract(int feature, double offset) {
        for (int i = 0; i < size; i++) {
            values[i * features + feature] -= offset;
        }
    }

    /**
     * The series in time order (a stable sort, so equal times keep file order). A sample whose time
     * equals the previous one is dropped and reported: downstream windowing would drop it anyway,
     * and reporting it here names the line.
     *
     * @param labelled whether the source carried labels
     * @param file     file name used in problem lines
     */
    DeviceSeries build(boolean labelled, String file, List<String> problems) {
        Integer[] order = IntStream.range(0, size).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(i -> ts[i]));
        long[] outTs = new long[size];
        double[][] outValues = new double[size][];
        int[] outLabels = new int[size];
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int i = order[k];
            if (kept > 0 && outTs[kept - 1] == ts[i]) {
                problems.add(file + ":" + lines[i] + ": device '" + device + "': time " + ts[i]
                        + " repeats line " + lines[order[k - 1]] + "; row skipped");
                continue;
            }
            outTs[kept] = ts[i];
            outValues[kept] = Arrays.copyOfRange(values, i * features, (i + 1) * features);
            outLabels[kept] = labels[i];
            kept++;
        }
        return new DeviceSeries(device, Arrays.copyOf(outTs, kept), Arrays.copyOf(outValues, kept),
                labelled ? Arrays.copyOf(outLabels, kept) : null);
    }
}
