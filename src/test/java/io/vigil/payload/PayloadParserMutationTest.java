package io.vigil.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.HostileCorpus;
import io.vigil.payload.ParseResult.Rejected;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutation fuzzing seeded with the hostile corpus and good readings: a byte replaced, the payload cut,
 * or a JSON token repeated up to 200 times at a random place (where the nesting and number-length
 * limits live — random short strings never reached them). Whatever comes out, the parser returns a
 * result, and a rejection's message is one line.
 */
class PayloadParserMutationTest {

    static final List<byte[]> SEEDS = seeds();
    static final PayloadParser PARSER = PayloadParserCorpusTest.parserFor("vibration");
    static final List<String> TOKENS = List.of("[", "{", "{\"a\":", "9", "-", "e", "\"", "\\", ",", "]", "}", "\u00e9",
            "NaN", "\"samples\": [", "[1, 2, 3],");

    /** Which seed, where, what (0 replace a byte, 1 cut, 2–3 insert a repeated token). */
    record Mutation(int seed, int position, int kind, int token, int repeat, byte value) {
    }

    @Property(tries = 3000)
    void mutatedPayloadsNeverThrowAndRejectInOneLine(@ForAll("mutations") Mutation m) {
        // given a seed payload, mutated
        byte[] payload = mutate(SEEDS.get(m.seed() % SEEDS.size()), m);

        // when
        ParseResult result = PARSER.parse(payload, "bearing-1");

        // then
        assertThat(result).isNotNull();
        if (result instanceof Rejected rejected) {
            assertThat(rejected.message()).isNotBlank().doesNotContain("\n", "\r");
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, TOKENS.size() - 1),
                Arbitraries.integers().between(1, 200),
                Arbitraries.bytes()).as(Mutation::new);
    }

    private static byte[] mutate(byte[] seed, Mutation m) {
        int at = m.position() % (seed.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (m.kind()) {
            case 0 -> {
                byte[] copy = seed.clone();
                if (copy.length > 0) {
                    copy[Math.min(at, copy.length - 1)] = m.value();
                }
                return copy;
            }
            case 1 -> {
                out.write(seed, 0, at);
                return out.toByteArray();
            }
            default -> {
                out.write(seed, 0, at);
                out.writeBytes(TOKENS.get(m.token()).repeat(m.repeat()).getBytes(StandardCharsets.UTF_8));
                out.write(seed, at, seed.length - at);
                return out.toByteArray();
            }
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>(HostileCorpus.load(PayloadParserCorpusTest.NOW).stream()
                .map(HostileCorpus.Entry::payload)
                .filter(p -> p.length < 10_000)
                .toList());
        long ts = PayloadParserCorpusTest.NOW;
        seeds.add(("{\"ts\": " + ts + ", \"x\": 1, \"y\": 2, \"z\": 3}").getBytes(StandardCharsets.UTF_8));
        seeds.add(("{\"ts\": " + ts + ", \"rateHz\": 100, \"samples\": [[1, 2, 3], [4, 5, 6]]}")
                .getBytes(StandardCharsets.UTF_8));
        return seeds;
    }
}
