package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.stream.AlertEvent.Severity;
import io.vigil.stream.AlertEvent.State;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The events on the wire match their published schemas, and their serdes round-trip. */
class EventSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMAS = Path.of("docs/schemas");

    private static final ScoreEvent SCORE = new ScoreEvent("pump-1", "vibration", 1_000, 1_630, 0.42, 0.3, "v7",
            shares());
    private static final AlertEvent ALERT = new AlertEvent("pump-1@1000", "pump-1", "vibration", State.RAISED,
            Severity.WARNING, 0.42, 0.3, 1_000, 1_950, shares(), "v7", 1_800_000_000_000L);

    @Test
    void aScoreEventCarriesExactlyTheSchemasProperties() throws IOException {
        // given
        JsonNode schema = JSON.readTree(SCHEMAS.resolve("score-event.schema.json").toFile());

        // when
        JsonNode event = JSON.readTree(ScoreEvent.serde().serializer().serialize("t", SCORE));

        // then
        assertMatches(event, schema);
    }

    @Test
    void anAlertEventCarriesExactlyTheSchemasProperties() throws IOException {
        // given
        JsonNode schema = JSON.readTree(SCHEMAS.resolve("alert-event.schema.json").toFile());

        // when
        JsonNode event = JSON.readTree(AlertEvent.serde().serializer().serialize("t", ALERT));

        // then
        assertMatches(event, schema);
    }

    @Test
    void eventsAndAlertStateRoundTripThroughTheirSerdes() {
        // given
        AlertState state = new AlertState(true, 4, 1, 1_000, 1_950, 0.9, shares());

        // when / then
        assertThat(roundTrip(ScoreEvent.serde(), SCORE)).isEqualTo(SCORE);
        assertThat(roundTrip(AlertEvent.serde(), ALERT)).isEqualTo(ALERT);
        assertThat(roundTrip(AlertState.serde(), state)).isEqualTo(state);
        assertThat(roundTrip(ScoreEvent.serde(), null)).isNull();
        assertThat(roundTrip(AlertEvent.serde(), null)).isNull();
        assertThat(ScoreEvent.serde().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void featureSharesKeepTheTopologysFeatureOrderOnTheWire() {
        // when
        JsonNode event = JSON.valueToTree(SCORE);

        // then
        assertThat(event.get("featureShare").fieldNames()).toIterable().containsExactly("x", "y", "z");
    }

    /** {@code event} has exactly the schema's properties, each of its type (a number is a JSON number, never "NaN"). */
    static void assertMatches(JsonNode event, JsonNode schema) {
        Set<String> required = new TreeSet<>();
        schema.get("required").forEach(name -> required.add(name.asText()));
        Set<String> declared = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(declared::add);
        Set<String> written = new TreeSet<>();
        event.fieldNames().forEachRemaining(written::add);
        assertThat(written).isEqualTo(required).isEqualTo(declared);
        schema.get("properties").fields().forEachRemaining(p -> assertThat(hasType(event.get(p.getKey()), p.getValue()))
                .as("%s is a %s", p.getKey(), p.getValue().get("type").asText()).isTrue());
    }

    private static boolean hasType(JsonNode value, JsonNode property) {
        boolean typed = switch (property.get("type").asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "object" -> value.isObject();
            default -> false;
        };
        JsonNode allowed = property.get("enum");
        return typed && (allowed == null || JSON.convertValue(allowed, Set.class).contains(value.asText()));
    }

    private static <T> T roundTrip(JsonSerde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    private static Map<String, Double> shares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("x", 0.7);
        shares.put("y", 0.2);
        shares.put("z", 0.1);
        return shares;
    }
}
