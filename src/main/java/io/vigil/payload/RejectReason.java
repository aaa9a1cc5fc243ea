package io.vigil.payload;

/**
 * Why a reading was rejected. The name is the {@code vigil.reason} header of its dead-letter record
 * and the {@code reason} tag of the rejection counter, so the set is small and stable.
 */
public enum RejectReason {
    /** The device id (last topic level) does not match {@link DeviceIds#PATTERN}. */
    BAD_DEVICE_ID,
    /** The payload is larger than the configured maximum. */
    TOO_LARGE,
    /** The payload is not well-formed UTF-8. */
    NOT_UTF8,
    /** The payload is empty or not well-formed JSON (including duplicate keys and trailing data). */
    INVALID_JSON,
    /** A required field (timestamp, a feature, the rate of a batch) is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (a string where a number belongs, a non-object payload…). */
    WRONG_TYPE,
    /** A sample value is NaN or infinite, as a number or as a string. */
    NON_FINITE,
    /** A sample value is finite but outside its feature's range ({@code range} in the topology). */
    OUT_OF_RANGE,
    /** A batch row does not have one value per feature. */
    RAGGED_BATCH,
    /** The timestamp is before 2000, too far in the future, or not epoch milliseconds. */
    BAD_TIMESTAMP,
    /** The batch rate is not a positive, finite, plausible number of hertz. */
    BAD_RATE,
    /** A batch with no samples. */
    EMPTY_BATCH,
    /** The MQTT topic matches no topology's filter (set by the bridge, never by the parser). */
    UNKNOWN_TOPIC,
    /**
     * Kafka refused the readings record for a fault of the record's own that no other reason names
     * (set by the bridge; a record too large is {@link #TOO_LARGE}, a timestamp Kafka refuses
     * {@link #BAD_TIMESTAMP}).
     */
    KAFKA_REFUSED,
    /**
     * The parser itself failed on this payload (a bug, set by the bridge): the message is dead-lettered
     * rather than left unacknowledged, where the broker would redeliver it forever.
     */
    PARSER_FAILURE
}
