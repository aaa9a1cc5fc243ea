package io.vigil.stream;

import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import java.util.Locale;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns one raw readings record into a {@link SampleBatch} or a rejection with a reason. The
 * detector reads readings values as bytes and parses here, so a poison pill becomes a dead-letter
 * record instead of a dead stream thread.
 */
public final class ReadingParser {

    /** Why a record was rejected; {@link #tag()} is the metric tag and the reason header's prefix. */
    public enum Reason {
        MISSING_DEVICE_ID, EMPTY_VALUE, NOT_A_SAMPLE_BATCH, WRONG_FEATURE_COUNT, NOT_FINITE, OUT_OF_RANGE, BAD_PERIOD,
        BAD_TIMESTAMP;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A parsed batch, or a rejection. */
    public sealed interface Result permits Accepted, Rejected {
    }

    public record Accepted(SampleBatch batch) implements Result {
    }

    /** @param detail one line for the dead-letter reason header */
    public record Rejected(Reason reason, String detail) implements Result {
        public String header() {
            return reason.tag() + ": " + detail;
        }
    }

    private static final Deserializer<SampleBatch> BATCHES = new SampleBatchSerde().deserializer();

    private final SensorKind kind;
    private final int featureCount;

    /** Checks each value against its feature's range too: the bridge does, but not every writer is the bridge. */
    public ReadingParser(SensorKind kind) {
        this.kind = kind;
        this.featureCount = kind.featureCount();
    }

    public Result parse(String deviceId, String topic, byte[] value) {
        if (deviceId == null || deviceId.isBlank()) {
            return new Rejected(Reason.MISSING_DEVICE_ID, "the record key (device id) is missing");
        }
        if (value == null || value.length == 0) {
            return new Rejected(Reason.EMPTY_VALUE, "the record has no value");
        }
        SampleBatch batch;
        try {
            batch = BATCHES.deserialize(topic, value);
        } catch (RuntimeException e) {
            return new Rejected(Reason.NOT_A_SAMPLE_BATCH, oneLine(e.getMessage()));
        }
        return validate(batch);
    }

    private Result validate(SampleBatch batch) {
        if (batch.samples() == null || batch.samples().length == 0) {
            return new Rejected(Reason.NOT_A_SAMPLE_BATCH, "no samples");
        }
        if (batch.ts() <= 0) {
            return new Rejected(Reason.BAD_TIMESTAMP, "ts must be epoch milliseconds > 0, got " + batch.ts());
        }
        if (!(batch.periodMs() >= 0) || Double.isInfinite(batch.periodMs())) {
            return new Rejected(Reason.BAD_PERIOD, "periodMs must be a finite number >= 0, got " + batch.periodMs());
        }
        double[][] samples = batch.samples();
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] == null || samples[i].length != featureCount) {
                return new Rejected(Reason.WRONG_FEATURE_COUNT, "sample " + i + " has "
                        + (samples[i] == null ? 0 : samples[i].length) + " values, expected " + featureCount);
            }
            for (int f = 0; f < featureCount; f++) {
                double v = samples[i][f];
                if (!Double.isFinite(v)) {
                    return new Rejected(Reason.NOT_FINITE, "sample " + i + " holds " + v);
                }
                if (!kind.range(f).contains(v)) {
                    return new Rejected(Reason.OUT_OF_RANGE, "sample " + i + " holds " + v + " for "
                            + kind.features().get(f) + ", outside its range " + kind.range(f));
                }
            }
        }
        return new Accepted(batch);
    }

    private static String oneLine(String message) {
        String text = message == null ? "unreadable JSON" : message.replaceAll("\\s+", " ").trim();
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
