package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.ParseResult;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.payload.PayloadParser;
import io.vigil.payload.RejectReason;
import io.vigil.kind.SensorKindLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A parser that throws is a bug; the bridge dead-letters the message instead of leaving it unacknowledged. */
class BridgeParseTest {

    @Test
    void aParserFailureBecomesADeadLetterReason() {
        // given: a parser whose clock fails while it checks a valid reading's timestamp
        Clock broken = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("clock broken");
            }
        };
        PayloadParser parser = new PayloadParser(SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration"),
                PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES, broken);
        byte[] reading = "{\"ts\": 1768478400000, \"x\": 1, \"y\": 2, \"z\": 3}".getBytes(StandardCharsets.UTF_8);

        // when
        ParseResult result = Bridge.parse(parser, reading, "bearing-1");

        // then
        assertThat(result).isEqualTo(new Rejected(RejectReason.PARSER_FAILURE, "IllegalStateException: clock broken"));
    }
}
