package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.ParseResult.Accepted;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadParserTest {

    static final long NOW = Instant.parse("2026-01-15T12:00:00Z").toEpochMilli();
    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final PayloadParser PARSER = new PayloadParser(VIBRATION, 4096,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    @Test
    void singleSampleIsABatchOfOneWithPeriodZero() {
        // given a single sample with fields in any order and an unknown extra field
        String payload = "{\"z\": 9.81, \"fw\": {\"v\": [1, 2]}, \"x\": 0.5, \"ts\": " + NOW + ", \"y\": -2}";

        // when
        ParseResult result = PARSER.parse(utf8(payload), "bearing-1");

        // then
        assertThat(result).usingRecursiveComparison()
                .isEqualTo(new Accepted(new SampleBatch(NOW, 0, new double[][] {{0.5, -2, 9.81}})));
    }

    @Test
    void batchCarriesRowsInFeatureOrderAndThePeriodFromTheRate() {
        String payload = "{\"ts\": " + NOW + ", \"rateHz\": 100, \"samples\": [[1, 2, 3], [4.5, 5e-1, -6]], \"seq\": 7}";

        ParseResult result = PARSER.parse(utf8(payload), "bearing-1");

        assertThat(result).usingRecursiveComparison().isEqualTo(new Accepted(
                new SampleBatch(NOW, 10.0, new double[][] {{1, 2, 3}, {4.5, 0.5, -6}})));
    }

    @Test
    void fieldNamesComeFromTheTopology(@TempDir Path dir) throws Exception {
        // given a kind whose gateway names its fields differently, and no code for it
        Files.writeString(dir.resolve("drive.yaml"), """
                kind: drive
                features: [temp, errors]
                sampleRateHz: 1
                window: 4
                hop: 1
                payload:
                  timestamp: time
                  fields: {temp: smart_194, errors: smart_5}
                  samples: rows
                  rateHz: hz
                """);
        PayloadParser parser = new PayloadParser(SensorKindLoader.load(dir, "drive"), 4096,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

        ParseResult single = parser.parse(utf8("{\"time\": " + NOW + ", \"smart_5\": 0, \"smart_194\": 41}"), "d1");
        ParseResult batch = parser.parse(utf8("{\"time\": " + NOW + ", \"hz\": 0.5, \"rows\": [[40, 0], [41, 1]]}"), "d1");

        assertThat(single).usingRecursiveComparison()
                .isEqualTo(new Accepted(new SampleBatch(NOW, 0, new double[][] {{41, 0}})));
        assertThat(batch).usingRecursiveComparison()
                .isEqualTo(new Accepted(new SampleBatch(NOW, 2000, new double[][] {{40, 0}, {41, 1}})));
    }

    @Test
    void rejectionMessageNamesTheFieldAndWhatWasExpected() {
        ParseResult result = PARSER.parse(utf8("{\"ts\": " + NOW + ", \"rateHz\": 100, \"samples\": [[1,2,3],[1,2]]}"), "b1");

        assertThat(result).isEqualTo(new Rejected(RejectReason.RAGGED_BATCH,
                "samples[1] has 2 values; expected 3 [x, y, z]"));
    }

    @Test
    void devicesIdsAreQuotedSafelyInMessages() {
        ParseResult result = PARSER.parse(utf8(single(NOW)), "bad\nid");

        assertThat(result).isEqualTo(new Rejected(RejectReason.BAD_DEVICE_ID,
                "device id 'bad\\u000aid' does not match " + DeviceIds.PATTERN));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("badPayloads")
    void badPayloadIsRejectedWithItsReason(String label, byte[] payload, String deviceId, RejectReason expected) {
        ParseResult result = PARSER.parse(payload, deviceId);

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).as(((Rejected) result).message()).isEqualTo(expected);
    }

    static Stream<Arguments> badPayloads() {
        String ok = single(NOW);
        return Stream.of(
                bad("empty payload", "", RejectReason.INVALID_JSON),
                bad("not JSON", "x=1,y=2", RejectReason.INVALID_JSON),
                bad("truncated object", "{\"ts\": " + NOW + ", \"x\": 1", RejectReason.INVALID_JSON),
                bad("trailing data", ok + " {}", RejectReason.INVALID_JSON),
                bad("duplicate key", "{\"ts\": " + NOW + ", \"x\": 1, \"x\": 2, \"y\": 2, \"z\": 3}", RejectReason.INVALID_JSON),
                bad("top-level array", "[1, 2, 3]", RejectReason.WRONG_TYPE),
                bad("top-level number", "42", RejectReason.WRONG_TYPE),
                bad("feature as string", sampleWithX("\"1.0\""), RejectReason.WRONG_TYPE),
                bad("feature null", sampleWithX("null"), RejectReason.WRONG_TYPE),
                bad("feature boolean", sampleWithX("true"), RejectReason.WRONG_TYPE),
                bad("feature object", sampleWithX("{}"), RejectReason.WRONG_TYPE),
                bad("ts as string", "{\"ts\": \"" + NOW + "\", \"x\": 1, \"y\": 2, \"z\": 3}", RejectReason.WRONG_TYPE),
                bad("ts as decimal", "{\"ts\": " + NOW + ".5, \"x\": 1, \"y\": 2, \"z\": 3}", RejectReason.WRONG_TYPE),
                bad("samples not an array", batchPayload("100", "5"), RejectReason.WRONG_TYPE),
                bad("row not an array", batchPayload("100", "[1, 2, 3]"), RejectReason.WRONG_TYPE),
                bad("rate as string", "{\"ts\": " + NOW + ", \"rateHz\": \"100\", \"samples\": [[1, 2, 3]]}", RejectReason.WRONG_TYPE),
                bad("missing feature", "{\"ts\": " + NOW + ", \"x\": 1, \"y\": 2}", RejectReason.MISSING_FIELD),
                bad("missing ts", "{\"x\": 1, \"y\": 2, \"z\": 3}", RejectReason.MISSING_FIELD),
                bad("batch without rate", "{\"ts\": " + NOW + ", \"samples\": [[1, 2, 3]]}", RejectReason.MISSING_FIELD),
                bad("NaN number", sampleWithX("NaN"), RejectReason.NON_FINITE),
                bad("Infinity number", "{\"ts\": " + NOW + ", \"x\": 1, \"y\": -Infinity, \"z\": 3}", RejectReason.NON_FINITE),
                bad("overflowing number", sampleWithX("1e999"), RejectReason.NON_FINITE),
                bad("NaN string", sampleWithX("\"NaN\""), RejectReason.NON_FINITE),
                bad("Infinity string in batch", batchPayload("100", "[[1, \"Infinity\", 3]]"),
                        RejectReason.NON_FINITE),
                bad("short row", batchPayload("100", "[[1, 2, 3], [1, 2]]"), RejectReason.RAGGED_BATCH),
                bad("long row", batchPayload("100", "[[1, 2, 3, 4]]"), RejectReason.RAGGED_BATCH),
                bad("empty row", batchPayload("100", "[[]]"), RejectReason.RAGGED_BATCH),
                bad("empty batch", batchPayload("100", "[]"), RejectReason.EMPTY_BATCH),
                bad("zero rate", batchPayload("0", "[[1, 2, 3]]"), RejectReason.BAD_RATE),
                bad("negative rate", batchPayload("-100", "[[1, 2, 3]]"), RejectReason.BAD_RATE),
                bad("NaN rate", batchPayload("NaN", "[[1, 2, 3]]"), RejectReason.BAD_RATE),
                bad("absurd rate", batchPayload("1e9", "[[1, 2, 3]]"), RejectReason.BAD_RATE),
                bad("ts in seconds", single(NOW / 1000), RejectReason.BAD_TIMESTAMP),
                bad("ts before 2000", single(Instant.parse("1999-12-31T23:59:59Z").toEpochMilli()), RejectReason.BAD_TIMESTAMP),
                bad("ts zero", single(0), RejectReason.BAD_TIMESTAMP),
                bad("ts negative", single(-5), RejectReason.BAD_TIMESTAMP),
                bad("ts two days ahead", single(NOW + 2 * 86_400_000L), RejectReason.BAD_TIMESTAMP),
                bad("ts beyond long", "{\"ts\": 99999999999999999999999, \"x\": 1, \"y\": 2, \"z\": 3}", RejectReason.BAD_TIMESTAMP),
                bad("batch running into the far future", batchPayload("0.0001", "[[1,2,3],[1,2,3]]"),
                        RejectReason.BAD_TIMESTAMP),
                bad("ts 16 minutes ahead", single(NOW + 16 * 60_000L), RejectReason.BAD_TIMESTAMP),
                bad("rate below one sample a day", batchPayload("1e-17", "[[1, 2, 3]]"),
                        RejectReason.BAD_RATE),
                Arguments.of("UTF-16LE without BOM", single(NOW).getBytes(StandardCharsets.UTF_16LE), "bearing-1",
                        RejectReason.NOT_UTF8),
                Arguments.of("UTF-32BE without BOM", single(NOW).getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
                        "bearing-1", RejectReason.NOT_UTF8),
                bad("payload over the limit", "{\"ts\": " + NOW + ", \"pad\": \"" + "a".repeat(5000) + "\", \"x\": 1, \"y\": 2, \"z\": 3}",
                        RejectReason.TOO_LARGE),
                Arguments.of("lone continuation byte", concat(ok.substring(0, 10), new byte[] {(byte) 0x80}, ok.substring(10)),
                        "b1", RejectReason.NOT_UTF8),
                Arguments.of("overlong encoding of '/'", concat("{\"ts\": " + NOW + ", \"n\": \"", new byte[] {(byte) 0xC0, (byte) 0xAF},
                        "\", \"x\": 1, \"y\": 2, \"z\": 3}"), "b1", RejectReason.NOT_UTF8),
                Arguments.of("Latin-1 text", "{\"ts\": 1, \"name\": \"M\u00fcller\"}".getBytes(StandardCharsets.ISO_8859_1),
                        "b1", RejectReason.NOT_UTF8),
                Arguments.of("device id with /", utf8(ok), "a/b", RejectReason.BAD_DEVICE_ID),
                Arguments.of("device id with +", utf8(ok), "a+", RejectReason.BAD_DEVICE_ID),
                Arguments.of("device id with #", utf8(ok), "#", RejectReason.BAD_DEVICE_ID),
                Arguments.of("device id with a control character", utf8(ok), "dev\u0000ice", RejectReason.BAD_DEVICE_ID),
                Arguments.of("device id with a space", utf8(ok), "dev ice", RejectReason.BAD_DEVICE_ID),
                Arguments.of("device id starting with a dot", utf8(ok), ".hidden", RejectReason.BAD_DEVICE_ID),
                Arguments.of("empty device id", utf8(ok), "", RejectReason.BAD_DEVICE_ID),
                Arguments.of("null device id", utf8(ok), null, RejectReason.BAD_DEVICE_ID),
                Arguments.of("65-character device id", utf8(ok), "d".repeat(65), RejectReason.BAD_DEVICE_ID),
                Arguments.of("10 kB device id", utf8(ok), "d".repeat(10_000), RejectReason.BAD_DEVICE_ID));
    }

    @Test
    void longestValidDeviceIdIsAccepted() {
        assertThat(PARSER.parse(utf8(single(NOW)), "A" + "b_.:-9".repeat(10) + "xyz")).isInstanceOf(Accepted.class);
    }

    private static Arguments bad(String label, String payload, RejectReason reason) {
        return Arguments.of(label, utf8(payload), "bearing-1", reason);
    }

    /** A batch at {@code NOW}: {@code rate} and {@code samples} as they stand in the JSON. */
    private static String batchPayload(String rate, String samples) {
        return "{\"ts\": " + NOW + ", \"rateHz\": " + rate + ", \"samples\": " + samples + "}";
    }

    /** A single sample at {@code NOW} with {@code x} as it stands in the JSON, y 2 and z 3. */
    private static String sampleWithX(String x) {
        return "{\"ts\": " + NOW + ", \"x\": " + x + ", \"y\": 2, \"z\": 3}";
    }

    static String single(long ts) {
        return "{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = utf8(head);
        byte[] t = utf8(tail);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }
}
