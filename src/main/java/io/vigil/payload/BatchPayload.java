package io.vigil.payload;

import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind.PayloadMapping;
import java.nio.charset.StandardCharsets;

/**
 * The JSON a simulated sensor publishes: one batch of evenly spaced samples,
 * {@code {"ts": <first sample ms>, "rateHz": 100, "samples": [[x, y, z], ...]}}, field names
 * taken from the topology's payload mapping, values in feature order with six decimals.
 */
public final class BatchPayload {

    private final PayloadMapping mapping;
    private final String rate;

    public BatchPayload(PayloadMapping mapping, double rateHz) {
        this.mapping = mapping;
        this.rate = rateHz == Math.rint(rateHz) ? Long.toString((long) rateHz) : Double.toString(rateHz);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of {@code series} as UTF-8 JSON. */
    public byte[] json(DeviceSeries series, int from, int to) {
        StringBuilder json = new StringBuilder(32 + (to - from) * 40);
        json.append("{\"").append(mapping.timestampField()).append("\":").append(series.ts()[from])
                .append(",\"").append(mapping.rateField()).append("\":").append(rate)
                .append(",\"").append(mapping.samplesField()).append("\":[");
        for (int i = from; i < to; i++) {
            json.append(i == from ? "[" : ",[");
            double[] sample = series.values()[i];
            for (int f = 0; f < sample.length; f++) {
                Decimals.appendFixed6(f == 0 ? json : json.append(','), sample[f]);
            }
            json.append(']');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
