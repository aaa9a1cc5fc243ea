package io.vigil.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vigil.payload.ParseResult.Accepted;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.PayloadMapping;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one MQTT payload into a {@link SampleBatch} in the topology's feature order, or a
 * {@link Rejected} with a precise reason. Field names come from the topology's payload mapping, so
 * a new sensor kind needs no code. Two forms are accepted (names shown for {@code vibration}):
 *
 * <ul>
 *   <li>one sample {@code {"ts": 1700000000000, "x": 0.1, "y": -0.2, "z": 9.8}} — a batch of one,
 *       period 0;</li>
 *   <li>a batch {@code {"ts": 1700000000000, "rateHz": 100, "samples": [[x, y, z], …]}} — the
 *       first sample's time, the rate, one row per sample; period {@code 1000 / rateHz} ms.</li>
 * </ul>
 *
 * A payload with a samples field is a batch. Unknown fields are ignored. Streaming parse, one pass,
 * no tree; thread-safe (no mutable state).
 */
public final class PayloadParser {

    /** Default largest payload: a 100 Hz gateway batching a few seconds fits with room to spare. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    /** The earliest plausible sensor time: 2000-01-01T00:00:00Z, in epoch ms. */
    public static final long EARLIEST_TIMESTAMP_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    /**
     * How far ahead of our clock a sensor's clock may run. Well under the hour Kafka refuses by default
     * ({@code message.timestamp.after.max.ms}), which also holds for topics Vigil does not create
     * (Kafka Streams' changelogs): a reading the bridge accepts is one every Vigil topic takes.
     * {@code ingest.Topics.TIMESTAMP_AFTER_MAX} is what the topics Vigil creates allow; the difference is room
     * for Kafka's clock to run behind the bridge's.
     */
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(15);
    /** Highest batch rate accepted; beyond this the period is below a microsecond. */
    public static final double MAX_RATE_HZ = 1_000_000;
    /** Lowest batch rate accepted: one sample a day (SMART's pace), so one period never exceeds a day. */
    public static final double MIN_RATE_HZ = 1.0 / 86_400;

    private static final Set<String> NON_FINITE_WORDS = Set.of("nan", "-nan", "+nan", "infinity", "-infinity",
            "+infinity", "inf", "-inf", "+inf");
    /** NaN/Infinity tokens parse (then get NON_FINITE rather than a vaguer INVALID_JSON); duplicate keys fail. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
            .build();

    private final SensorKind kind;
    private final String timestampField;
    private final String samplesField;
    private final String rateField;
    private final List<String> featureFields;
    private final Map<String, Integer> featureIndex;
    private final int maxPayloadBytes;
    private final Clock clock;

    public PayloadParser(SensorKind kind, int maxPayloadBytes, Clock clock) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        this.kind = kind;
        PayloadMapping mapping = kind.payload();
        this.timestampField = mapping.timestampField();
        this.samplesField = mapping.samplesField();
        this.rateField = mapping.rateField();
        this.featureFields = kind.features().stream().map(f -> mapping.fields().get(f)).toList();
        this.featureIndex = new HashMap<>();
        for (int i = 0; i < featureFields.size(); i++) {
            featureIndex.put(featureFields.get(i), i);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
    }

    /** A parser with the default size limit and the system clock. */
    public static PayloadParser forTopology(SensorKind kind) {
        return new PayloadParser(kind, DEFAULT_MAX_PAYLOAD_BYTES, Clock.systemUTC());
    }

    public SensorKind kind() {
        return kind;
    }

    /** Parses and validates one payload from one device. Never throws for bad input. */
    public ParseResult parse(byte[] payload, String deviceId) {
        if (!DeviceIds.isValid(deviceId)) {
            return new Rejected(RejectReason.BAD_DEVICE_ID, "device id " + quote(deviceId)
                    + " does not match " + DeviceIds.PATTERN);
        }
        if (payload.length > maxPayloadBytes) {
            return new Rejected(RejectReason.TOO_LARGE, "payload is " + payload.length + " bytes; the limit is "
                    + maxPayloadBytes);
        }
        if (payload.length == 0) {
            return new Rejected(RejectReason.INVALID_JSON, "empty payload");
        }
        if (!isUtf8(payload)) {
            return new Rejected(RejectReason.NOT_UTF8, "payload is not valid UTF-8");
        }
        int nul = wideEncodingNul(payload);
        if (nul >= 0) {
            return new Rejected(RejectReason.NOT_UTF8, "NUL byte at offset " + nul
                    + ": UTF-16 or UTF-32 text, not UTF-8");
        }
        try (JsonParser json = JSON.createParser(payload)) {
            return new Accepted(readReading(json));
        } catch (Reject r) {
            return new Rejected(r.reason, r.getMessage());
        } catch (JsonProcessingException e) {
            // stream-constraint violations (nesting depth, number length) carry no location
            String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            return new Rejected(RejectReason.INVALID_JSON, "not valid JSON" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            // a byte[] source has no I/O; keep the contract anyway
            return new Rejected(RejectReason.INVALID_JSON, "unreadable payload: " + e.getMessage());
        }
    }

    private SampleBatch readReading(JsonParser json) throws IOException {
        JsonToken first = json.nextToken();
        if (first == null) {
            throw new Reject(RejectReason.INVALID_JSON, "no JSON value (only whitespace)");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new Reject(RejectReason.WRONG_TYPE, "payload must be a JSON object, got " + describe(json.currentToken()));
        }
        long ts = -1;
        double rateHz = Double.NaN;
        boolean hasRate = false;
        double[] single = new double[featureFields.size()];
        boolean[] seen = new boolean[featureFields.size()];
        Rows rows = null;
        for (String field = json.nextFieldName(); field != null; field = json.nextFieldName()) {
            JsonToken value = json.nextToken();
            if (field.equals(timestampField)) {
                ts = timestamp(json, value);
            } else if (field.equals(samplesField)) {
                rows = rows(json, value);
            } else if (field.equals(rateField)) {
                rateHz = rate(json, value);
                hasRate = true;
            } else {
                Integer feature = featureIndex.get(field);
                if (feature != null) {
                    single[feature] = number(json, value, "'" + field + "'");
                    seen[feature] = true;
                } else {
                    json.skipChildren(); // unknown field: ignored
                }
            }
        }
        if (json.nextToken() != null) {
            throw new Reject(RejectReason.INVALID_JSON, "unexpected data after the JSON object");
        }
        if (ts < 0) {
            throw new Reject(RejectReason.MISSING_FIELD, "missing field '" + timestampField + "' (epoch milliseconds)");
        }
        if (rows != null) {
            return batch(ts, hasRate, rateHz, rows);
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new Reject(RejectReason.MISSING_FIELD, "missing field '" + featureFields.get(i) + "' (feature "
                        + kind.features().get(i) + "); a reading needs " + featureFields + " or '" + samplesField + "'");
            }
        }
        return inRange(new SampleBatch(ts, 0, new double[][] {single}));
    }

    private SampleBatch batch(long ts, boolean hasRate, double rateHz, Rows rows) {
        if (!hasRate) {
            throw new Reject(RejectReason.MISSING_FIELD, "missing field '" + rateField + "' (samples per second) in a batch");
        }
        if (rows.count == 0) {
            throw new Reject(RejectReason.EMPTY_BATCH, "'" + samplesField + "' has no samples");
        }
        double periodMs = 1000.0 / rateHz;
        long last = ts + Math.round((rows.count - 1) * periodMs);
        checkNotInFuture(last, "the last sample's time (" + last + ")");
        return inRange(new SampleBatch(ts, periodMs, rows.toArray()));
    }

    /** Every value within its feature's range ({@code range} in the topology), or OUT_OF_RANGE. */
    private SampleBatch inRange(SampleBatch batch) {
        double[][] samples = batch.samples();
        for (int f = 0; f < featureFields.size(); f++) {
            SensorKind.ValueRange range = kind.range(f);
            for (int r = 0; r < samples.length; r++) {
                if (!range.contains(samples[r][f])) {
                    String where = samples.length == 1 && batch.periodMs() == 0 ? "'" + featureFields.get(f) + "'"
                            : samplesField + "[" + r + "][" + f + "]";
                    throw new Reject(RejectReason.OUT_OF_RANGE, where + " is " + samples[r][f] + "; feature "
                            + kind.features().get(f) + " accepts " + range + " (range in the topology)");
                }
            }
        }
        return batch;
    }

    private long timestamp(JsonParser json, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new Reject(RejectReason.WRONG_TYPE, "'" + timestampField
                    + "' must be an integer of epoch milliseconds, got " + describe(value));
        }
        if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Reject(RejectReason.BAD_TIMESTAMP, "'" + timestampField + "' " + json.getText() + " is out of range");
        }
        long ts = json.getLongValue();
        if (ts < EARLIEST_TIMESTAMP_MS) {
            String hint = ts >= EARLIEST_TIMESTAMP_MS / 1000 && ts < EARLIEST_TIMESTAMP_MS / 10
                    ? " (looks like seconds; expected milliseconds)" : "";
            throw new Reject(RejectReason.BAD_TIMESTAMP, "'" + timestampField + "' " + ts
                    + " is before 2000-01-01" + hint);
        }
        checkNotInFuture(ts, "'" + timestampField + "' " + ts);
        return ts;
    }

    private void checkNotInFuture(long ts, String what) {
        long latest = clock.millis() + MAX_CLOCK_AHEAD.toMillis();
        if (ts > latest) {
            throw new Reject(RejectReason.BAD_TIMESTAMP, what + " is more than " + MAX_CLOCK_AHEAD.toMinutes()
                    + " min ahead of the bridge's clock (" + Instant.ofEpochMilli(ts) + ")");
        }
    }

    private double rate(JsonParser json, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Reject(RejectReason.WRONG_TYPE, "'" + rateField + "' must be a number of hertz, got " + describe(value));
        }
        double rate = json.getDoubleValue();
        if (!(rate >= MIN_RATE_HZ) || rate > MAX_RATE_HZ) {
            throw new Reject(RejectReason.BAD_RATE, "'" + rateField + "' must be at least 1/86400 (one sample a day)"
                    + " and at most " + (long) MAX_RATE_HZ + " Hz, got " + json.getText());
        }
        return rate;
    }

    private Rows rows(JsonParser json, JsonToken value) throws IOException {
        int width = featureFields.size();
        if (value != JsonToken.START_ARRAY) {
            throw new Reject(RejectReason.WRONG_TYPE, "'" + samplesField + "' must be an array of rows of "
                    + width + " numbers " + kind.features() + ", got " + describe(value));
        }
        Rows rows = new Rows(width);
        for (JsonToken row = json.nextToken(); row != JsonToken.END_ARRAY; row = json.nextToken()) {
            int r = rows.count;
            if (row != JsonToken.START_ARRAY) {
                throw new Reject(RejectReason.WRONG_TYPE, samplesField + "[" + r + "] must be an array of " + width
                        + " numbers " + kind.features() + ", got " + describe(row));
            }
            int column = 0;
            for (JsonToken cell = json.nextToken(); cell != JsonToken.END_ARRAY; cell = json.nextToken()) {
                if (column == width) {
                    throw ragged(r, width, "more than " + width);
                }
                rows.add(number(json, cell, samplesField + "[" + r + "][" + column + "]"));
                column++;
            }
            if (column != width) {
                throw ragged(r, width, String.valueOf(column));
            }
            rows.count++;
        }
        return rows;
    }

    private Reject ragged(int row, int width, String got) {
        return new Reject(RejectReason.RAGGED_BATCH, samplesField + "[" + row + "] has " + got + " values; expected "
                + width + " " + kind.features());
    }

    /** A finite number, or a rejection naming {@code where}. */
    private static double number(JsonParser json, JsonToken token, String where) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = json.getDoubleValue();
            if (!Double.isFinite(value)) {
                throw new Reject(RejectReason.NON_FINITE, where + " is " + json.getText() + "; expected a finite number");
            }
            return value;
        }
        if (token == JsonToken.VALUE_STRING
                && NON_FINITE_WORDS.contains(json.getText().strip().toLowerCase(java.util.Locale.ROOT))) {
            throw new Reject(RejectReason.NON_FINITE, where + " is the string " + quote(json.getText())
                    + "; expected a finite number");
        }
        throw new Reject(RejectReason.WRONG_TYPE, where + " must be a number, got " + describe(token));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** Quotes and shortens text for a message; control characters are escaped so a log line stays one line. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(text.length(), 40);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > shown) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.append('\'').toString();
    }

    /**
     * Where UTF-16 or UTF-32 text without a byte-order mark gives itself away, or -1: JSON starts with an
     * ASCII character, which those encodings write with NUL bytes beside it, so one of the first two
     * bytes is NUL (RFC 4627, section 3). Such text is also valid UTF-8, and Jackson would detect and
     * decode it; UTF-8 JSON never has a NUL there. A NUL further on is left to the JSON parser.
     */
    static int wideEncodingNul(byte[] bytes) {
        for (int i = 0; i < Math.min(2, bytes.length); i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Strict UTF-8 check; ASCII payloads (the usual case) take the fast path. */
    static boolean isUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Growable row-major buffer of batch values. */
    private static final class Rows {
        private final int width;
        private double[] values = new double[256];
        private int size;
        int count;

        Rows(int width) {
            this.width = width;
        }

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        double[][] toArray() {
            double[][] out = new double[count][];
            for (int r = 0; r < count; r++) {
                out[r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
            }
            return out;
        }
    }

    /** A rejection raised deep in the parse; no stack trace, since it is an expected outcome. */
    private static final class Reject extends RuntimeException {
        final RejectReason reason;

        Reject(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
