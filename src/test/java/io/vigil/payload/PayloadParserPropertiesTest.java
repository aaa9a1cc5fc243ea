package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.ParseResult.Rejected;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives on a topic, the parser answers with a result, never an exception. That well-formed
 * batches are accepted, value for value, is {@link PayloadRoundTripTest}, through the real encoder.
 */
class PayloadParserPropertiesTest {

    private static final PayloadParser PARSER = PayloadParserTest.PARSER;

    @Property(tries = 2000)
    void neverThrowsOnArbitraryBytes(@ForAll byte[] payload, @ForAll String deviceId) {
        ParseResult result = PARSER.parse(payload, deviceId);

        assertThat(result).isNotNull();
    }

    @Property(tries = 2000)
    void neverThrowsOnJsonLikeText(@ForAll("jsonish") String payload) {
        ParseResult result = PARSER.parse(payload.getBytes(StandardCharsets.UTF_8), "bearing-1");

        assertThat(result).isNotNull();
        if (result instanceof Rejected rejected) {
            assertThat(rejected.message()).isNotBlank();
        }
    }

    /** Strings built from JSON's own alphabet hit the parser's branches far more often than random bytes. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"ts\"", "\"x\"", "\"y\"", "\"z\"",
                "\"samples\"", "\"rateHz\"", "1768478400000", "100", "-1", "1e999", "NaN", "\"NaN\"", "null", "true",
                "0.5", "\"", " ", "\\u0000");
        return tokens.list().ofMaxSize(40).map(list -> String.join("", list));
    }
}
