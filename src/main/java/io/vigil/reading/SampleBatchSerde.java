package io.vigil.reading;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde for {@link SampleBatch}; null stays null (tombstones). */
public final class SampleBatchSerde implements Serde<SampleBatch> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Serializer<SampleBatch> serializer() {
        return (topic, batch) -> {
            if (batch == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(batch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<SampleBatch> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, SampleBatch.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("not a sample batch: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
