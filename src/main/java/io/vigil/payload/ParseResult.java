package io.vigil.payload;

import io.vigil.reading.SampleBatch;

/** The outcome of parsing one MQTT payload: a batch of samples, or a rejection with its reason. */
public sealed interface ParseResult permits ParseResult.Accepted, ParseResult.Rejected {

    /** A valid reading, in the topology's feature order. */
    record Accepted(SampleBatch batch) implements ParseResult {
    }

    /**
     * An invalid reading.
     *
     * @param reason  stable code for headers and metrics
     * @param message one line for a human: which field, what was expected, what came
     */
    record Rejected(RejectReason reason, String message) implements ParseResult {
    }
}
