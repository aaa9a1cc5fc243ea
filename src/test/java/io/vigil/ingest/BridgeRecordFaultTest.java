package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.payload.RejectReason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which of Kafka's refusals dead-letter a reading, and which are sent again. */
class BridgeRecordFaultTest {

    @Test
    void onlyFaultsOfTheRecordItselfDeadLetterIt() {
        // given what a producer callback can report
        Map<Exception, RejectReason> expected = new LinkedHashMap<>();
        expected.put(new RecordTooLargeException("The message is 5000289 bytes when serialized"), RejectReason.TOO_LARGE);
        expected.put(new RecordBatchTooLargeException("batch too large"), RejectReason.TOO_LARGE);
        expected.put(new InvalidTimestampException("Timestamp 1796369113772 of message with offset 0 is out of range"),
                RejectReason.BAD_TIMESTAMP);
        expected.put(new InvalidRecordException("Compacted topic cannot accept message without key"),
                RejectReason.KAFKA_REFUSED);
        // a batch-mate of an invalid record (KIP-467), Kafka away, missing rights: sent again
        expected.put(new KafkaException("Failed to append record because it was part of a batch which had one more"
                + " more invalid records"), null);
        expected.put(new TimeoutException("Expiring 1 record(s)"), null);
        expected.put(new TopicAuthorizationException("Not authorized to access topics: [vigil.readings.vibration]"), null);

        // when / then
        Map<Exception, RejectReason> actual = new LinkedHashMap<>();
        expected.keySet().forEach(error -> actual.put(error, KafkaForwarder.recordFault(error)));
        assertThat(actual).isEqualTo(expected);
    }
}
