package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.HostileCorpus;
import io.vigil.payload.ParseResult.Rejected;
import io.vigil.kind.SensorKindLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every entry of the hostile corpus, straight through {@link PayloadParser}: the reason, and a one-line message. */
class PayloadParserCorpusTest {

    static final long NOW = Instant.parse("2026-01-15T12:00:00Z").toEpochMilli();
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    static List<HostileCorpus.Entry> corpus() {
        return HostileCorpus.load(NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileReadingIsRejectedWithItsReason(HostileCorpus.Entry entry) {
        // given the parser of the entry's sensor kind, default size limit
        PayloadParser parser = parserFor(entry.kind());

        // when
        ParseResult result = parser.parse(entry.payload(), entry.deviceId());

        // then a rejection with the expected reason and a short single-line message
        assertThat(result).isInstanceOf(Rejected.class);
        Rejected rejected = (Rejected) result;
        assertThat(rejected.reason()).as(rejected.message()).isEqualTo(entry.reason());
        assertThat(rejected.message()).doesNotContain("\n", "\r").hasSizeLessThan(400);
    }

    static PayloadParser parserFor(String kind) {
        return new PayloadParser(SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind), PayloadParser.DEFAULT_MAX_PAYLOAD_BYTES, CLOCK);
    }

    @Test
    void corpusCoversEveryParserReasonWithAtLeastFiftyEntries() {
        // given / when
        Map<RejectReason, Long> byReason = corpus().stream()
                .collect(Collectors.groupingBy(HostileCorpus.Entry::reason, TreeMap::new, Collectors.counting()));

        // then every reason the parser can give is exercised (UNKNOWN_TOPIC, PARSER_FAILURE and
        // KAFKA_REFUSED are the bridge's, see readings.tsv, Bridge.parse and KafkaForwarder.recordFault)
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(50);
        assertThat(byReason.keySet()).containsExactlyInAnyOrder(
                java.util.Arrays.stream(RejectReason.values()).filter(r -> r != RejectReason.UNKNOWN_TOPIC && r != RejectReason.PARSER_FAILURE
                                && r != RejectReason.KAFKA_REFUSED)
                        .toArray(RejectReason[]::new));
    }
}
