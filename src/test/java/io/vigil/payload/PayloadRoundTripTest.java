package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.ParseResult.Accepted;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.reading.DeviceSeries;
import io.vigil.reading.SampleBatch;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.PayloadMapping;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The wire format both ways: what {@link BatchPayload} writes, {@link PayloadParser} reads back. Values
 * on the six-decimal grid come back bit for bit; any other finite value within the rounding bound
 * derived in {@link #roundingBound}; a batch with one defect is rejected for exactly that defect.
 * Fixed seeds, so a failure reproduces.
 */
class PayloadRoundTripTest {

    static final long NOW = Instant.parse("2026-01-15T12:00:00Z").toEpochMilli();
    static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    static final PayloadParser PARSER = new PayloadParser(VIBRATION, PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    static final String DEVICE = "bearing-1";
    /** The vibration kind's range ({@link SensorKind.ValueRange#DEFAULT}): what the parser accepts. */
    static final double LIMIT = SensorKind.ValueRange.DEFAULT.max();
    /**
     * The largest grid index n (value n / 10^6) that comes back bit for bit: writing scales by 10^6 in
     * two roundings (n / 10^6, then × 10^6), at most |n|·2^-52 off n, and rounds to the nearest integer,
     * which is n while |n|·2^-52 < 1/2, i.e. |n| < 2^51 ≈ 2.25e15. The accepted range ends at 1e15.
     */
    static final long GRID_MAX = Math.round(LIMIT * 1e6);

    /** One batch as the simulator holds it. */
    record Reading(long ts, double rateHz, double[][] rows) {

        byte[] encode(PayloadMapping mapping) {
            long[] times = new long[rows.length];
            Arrays.fill(times, ts);
            return new BatchPayload(mapping, rateHz).json(new DeviceSeries(DEVICE, times, rows, null), 0, rows.length);
        }

        SampleBatch expected() {
            return new SampleBatch(ts, 1000.0 / rateHz, rows);
        }
    }

    @Property(tries = 1000, seed = "20261207")
    void valuesOnTheDecimalGridComeBackBitForBit(@ForAll("gridReadings") Reading reading) {
        // when
        ParseResult result = PARSER.parse(reading.encode(VIBRATION.payload()), DEVICE);

        // then
        assertThat(result).isInstanceOf(Accepted.class);
        SampleBatch batch = ((Accepted) result).batch();
        assertThat(batch.ts()).isEqualTo(reading.ts());
        assertThat(Double.doubleToRawLongBits(batch.periodMs()))
                .isEqualTo(Double.doubleToRawLongBits(reading.expected().periodMs()));
        assertThat(bits(batch.samples())).isDeepEqualTo(bits(reading.rows()));
    }

    @Property(tries = 1000, seed = "20261207")
    void anyFiniteValueComesBackWithinTheRoundingBound(@ForAll("finiteReadings") Reading reading) {
        // when
        ParseResult result = PARSER.parse(reading.encode(VIBRATION.payload()), DEVICE);

        // then
        assertThat(result).isInstanceOf(Accepted.class);
        double[][] decoded = ((Accepted) result).batch().samples();
        assertThat(decoded.length).isEqualTo(reading.rows().length);
        for (int r = 0; r < decoded.length; r++) {
            for (int f = 0; f < decoded[r].length; f++) {
                double sent = reading.rows()[r][f];
                assertThat(Math.abs(decoded[r][f] - sent))
                        .as("samples[%d][%d]: sent %s, decoded %s", r, f, sent, decoded[r][f])
                        .isLessThanOrEqualTo(roundingBound(sent));
            }
        }
    }

    /**
     * How far a finite value {@code v}, |v| ≤ 1e9, may come back from six fixed decimals. Writing takes
     * s = fl(|v|·10^6), off by at most ulp(s)/2, and rounds it to an integer n, off by at most 1/2; the
     * text is n / 10^6 exactly. Reading rounds that decimal to the nearest double, off by at most
     * ulp/2 of the result, which is at most |v| + 10^-6. In value units:
     * 1/2·10^-6 + ulp(s)/(2·10^6) + ulp(|v| + 10^-6)/2. The check's own subtraction is exact where
     * both values exceed 2·10^-6 (Sterbenz) and otherwise off by far less than ulp(10^-6), added once.
     */
    static double roundingBound(double v) {
        double scaled = Math.abs(v) * 1e6;
        return 0.5e-6 + Math.ulp(scaled) / 2e6 + Math.ulp(Math.abs(v) + 1e-6) / 2 + Math.ulp(1e-6);
    }

    /** One thing wrong with an otherwise valid batch, and the reason the parser must give. */
    enum Defect {
        NAN_VALUE(RejectReason.NON_FINITE),
        INFINITE_VALUE(RejectReason.NON_FINITE),
        VALUE_OUT_OF_RANGE(RejectReason.OUT_OF_RANGE),
        SHORT_ROW(RejectReason.RAGGED_BATCH),
        LONG_ROW(RejectReason.RAGGED_BATCH),
        NO_SAMPLES(RejectReason.EMPTY_BATCH),
        ZERO_RATE(RejectReason.BAD_RATE),
        RATE_TOO_HIGH(RejectReason.BAD_RATE),
        TIMESTAMP_IN_SECONDS(RejectReason.BAD_TIMESTAMP),
        TIMESTAMP_AHEAD(RejectReason.BAD_TIMESTAMP),
        RATE_UNDER_ANOTHER_NAME(RejectReason.MISSING_FIELD),
        CUT_IN_THE_SAMPLES(RejectReason.INVALID_JSON);

        final RejectReason reason;

        Defect(RejectReason reason) {
            this.reason = reason;
        }
    }

    /** A valid reading, the defect to give it, and where (row, feature, cut point as a fraction). */
    record Malformed(Reading reading, Defect defect, int row, int feature, double cut) {
    }

    @Property(tries = 1000, seed = "20261207")
    void aBatchWithOneDefectIsRejectedForThatDefect(@ForAll("malformed") Malformed m) {
        // given a valid reading with one defect, encoded by the simulator's encoder
        int row = m.row() % m.reading().rows().length;
        int feature = m.feature() % VIBRATION.features().size();
        String cell = "samples[" + row + "][" + feature + "]";
        byte[] payload = withDefect(m.reading(), m.defect(), row, feature, m.cut());

        // when
        ParseResult result = PARSER.parse(payload, DEVICE);

        // then it is rejected, for that defect, at that place
        assertThat(result).isInstanceOf(Rejected.class);
        Rejected rejected = (Rejected) result;
        assertThat(rejected.reason()).as(rejected.message()).isEqualTo(m.defect().reason);
        switch (m.defect()) {
            case NAN_VALUE, INFINITE_VALUE, VALUE_OUT_OF_RANGE -> assertThat(rejected.message()).startsWith(cell + " is ");
            case SHORT_ROW -> assertThat(rejected.message()).startsWith("samples[" + row + "] has 2 values; expected 3");
            case LONG_ROW -> assertThat(rejected.message()).startsWith("samples[" + row + "] has more than 3 values");
            case RATE_UNDER_ANOTHER_NAME -> assertThat(rejected.message()).startsWith("missing field 'rateHz'");
            default -> assertThat(rejected.message()).isNotBlank();
        }
    }

    private static byte[] withDefect(Reading reading, Defect defect, int row, int feature, double cut) {
        double[][] rows = Arrays.stream(reading.rows()).map(double[]::clone).toArray(double[][]::new);
        PayloadMapping mapping = VIBRATION.payload();
        long ts = reading.ts();
        double rate = reading.rateHz();
        switch (defect) {
            case NAN_VALUE -> rows[row][feature] = Double.NaN;
            case INFINITE_VALUE -> rows[row][feature] = row % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case VALUE_OUT_OF_RANGE -> rows[row][feature] = Math.copySign(LIMIT * (1 + cut) + 1, rows[row][feature]);
            case SHORT_ROW -> rows[row] = Arrays.copyOf(rows[row], 2);
            case LONG_ROW -> rows[row] = Arrays.copyOf(rows[row], 4);
            case NO_SAMPLES -> {
                return new BatchPayload(mapping, rate).json(new DeviceSeries(DEVICE, new long[] {ts}, new double[][] {rows[0]}, null), 0, 0);
            }
            case ZERO_RATE -> rate = 0;
            case RATE_TOO_HIGH -> rate = PayloadParser.MAX_RATE_HZ * (1 + cut) + 1;
            case TIMESTAMP_IN_SECONDS -> ts = ts / 1000;
            case TIMESTAMP_AHEAD -> ts = NOW + PayloadParser.MAX_CLOCK_AHEAD.toMillis() + 1 + (long) (cut * 86_400_000L);
            case RATE_UNDER_ANOTHER_NAME -> mapping = new PayloadMapping(mapping.timestampField(), mapping.fields(),
                    mapping.samplesField(), "hz");
            case CUT_IN_THE_SAMPLES -> {
                byte[] whole = reading.encode(mapping);
                int samplesStart = new String(whole, StandardCharsets.UTF_8)
                        .indexOf("\"" + mapping.samplesField() + "\":[") + mapping.samplesField().length() + 4;
                // anywhere from inside the samples array to just before the closing brace: never a whole row short
                int at = samplesStart + (int) (cut * (whole.length - 1 - samplesStart));
                return Arrays.copyOf(whole, at);
            }
            default -> throw new IllegalStateException(defect.name());
        }
        return new Reading(ts, rate, rows).encode(mapping);
    }

    @Provide
    Arbitrary<Reading> gridReadings() {
        Arbitrary<Double> grid = Arbitraries.longs().between(-GRID_MAX, GRID_MAX).map(n -> n / 1e6);
        return readings(Arbitraries.oneOf(grid, Arbitraries.of(0.0, 1e-6, -1e-6, LIMIT, -LIMIT, 0.5, -999_999.999999)));
    }

    @Provide
    Arbitrary<Reading> finiteReadings() {
        return readings(finiteValues());
    }

    @Provide
    Arbitrary<Malformed> malformed() {
        return Combinators.combine(readings(finiteValues()), Arbitraries.of(Defect.class),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000),
                Arbitraries.doubles().between(0, 1).ofScale(6)).as(Malformed::new);
    }

    /**
     * Finite values in the accepted range with all 53 bits of mantissa in use, spread over 70 binary
     * orders of magnitude (jqwik's own doubles keep two decimals by default, all on the grid), plus
     * zeros, subnormals, the range's ends and the values halfway between two grid points.
     */
    static Arbitrary<Double> finiteValues() {
        Arbitrary<Double> spread = Combinators.combine(
                Arbitraries.longs().between(0, (1L << 52) - 1),
                Arbitraries.integers().between(-40, 29), // 2^29 ≤ |v| < 2^30 straddles LIMIT = 1e9
                Arbitraries.of(1.0, -1.0))
                .as((mantissa, exponent, sign) -> sign * Math.scalb(1 + mantissa * 0x1p-52, exponent))
                .filter(v -> Math.abs(v) <= LIMIT);
        Arbitrary<Double> halfway = Arbitraries.longs().between(-GRID_MAX + 1, GRID_MAX - 1).map(n -> (n + 0.5) / 1e6);
        Arbitrary<Double> edges = Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_NORMAL, 4.9999995e-7,
                -5.0000005e-7, LIMIT, -LIMIT, Math.nextDown(LIMIT));
        return Arbitraries.frequencyOf(
                Tuple.of(6, spread),
                Tuple.of(3, halfway),
                Tuple.of(1, edges));
    }

    /** Readings of 1 to 50 samples at any accepted rate, early enough that their last sample is in the past. */
    static Arbitrary<Reading> readings(Arbitrary<Double> values) {
        long lastTs = NOW - Duration.ofDays(60).toMillis(); // 49 periods at one sample a day: 49 days
        Arbitrary<Double> rates = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 1_000_000).map(Integer::doubleValue),
                Arbitraries.doubles().between(1e-4, 1000).ofScale(9),
                Arbitraries.of(PayloadParser.MIN_RATE_HZ, 12.5, PayloadParser.MAX_RATE_HZ));
        Arbitrary<double[][]> rows = values.array(double[].class).ofSize(3).array(double[][].class)
                .ofMinSize(1).ofMaxSize(50);
        return Combinators.combine(Arbitraries.longs().between(PayloadParser.EARLIEST_TIMESTAMP_MS, lastTs), rates, rows)
                .as(Reading::new);
    }

    private static long[][] bits(double[][] values) {
        return Arrays.stream(values)
                .map(row -> Arrays.stream(row).mapToLong(Double::doubleToRawLongBits).toArray())
                .toArray(long[][]::new);
    }
}
