package io.vigil.reading;

/**
 * One device's recorded or simulated samples, in time order: what the readers and the simulator
 * hand to training, offline scoring, evaluation and replay.
 *
 * @param device device id
 * @param ts     sample times, epoch milliseconds, ascending
 * @param values {@code [sample][feature]} in the topology's feature order
 * @param labels per sample 1 = anomalous, 0 = normal; null when the data carries no labels
 */
public record DeviceSeries(String device, long[] ts, double[][] values, int[] labels) {

    public DeviceSeries {
        if (ts.length != values.length || (labels != null && labels.length != ts.length)) {
            throw new IllegalArgumentException("device " + device + ": " + ts.length + " times, " + values.length
                    + " samples" + (labels == null ? "" : ", " + labels.length + " labels"));
        }
    }

    public int size() {
        return ts.length;
    }

    public boolean labelled() {
        return labels != null;
    }
}
