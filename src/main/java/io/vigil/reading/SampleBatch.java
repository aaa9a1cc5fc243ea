package io.vigil.reading;

/**
 * The value of a record on a readings topic: one device's samples, evenly spaced in time. A single
 * reading is a batch of one. The Kafka key is the device id; the record timestamp is {@code ts}.
 *
 * <p>JSON form: {@code {"ts": 1700000000000, "periodMs": 10.0, "samples": [[x, y, z], ...]}},
 * values in the topology's feature order.
 *
 * @param ts       time of the first sample, epoch milliseconds (sensor time)
 * @param periodMs time between consecutive samples (0 for a batch of one)
 * @param samples  {@code [sample][feature]}
 */
public record SampleBatch(long ts, double periodMs, double[][] samples) {

    /** Time of sample {@code i}, rounded to the millisecond. */
    public long timestampOf(int i) {
        return ts + Math.round(i * periodMs);
    }

    public int size() {
        return samples.length;
    }
}
