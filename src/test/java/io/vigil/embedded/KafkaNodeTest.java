package io.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A node of a three-node cluster replicates every topic three times, two in sync; all nodes agree on the cluster id. */
class KafkaNodeTest {

    static final String VOTERS = "1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293";

    @Test
    void aNodeOfThreeReplicatesEveryTopicThreeTimesWithTwoInSync() {
        // given
        KafkaNode node = new KafkaNode(2, "127.0.0.1:9192", "kafka-2:9092", "127.0.0.1:9193", VOTERS, Path.of("k2"));

        // when
        var properties = node.properties();

        // then
        assertThat(properties)
                .containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", VOTERS)
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193")
                .containsEntry("advertised.listeners", "PLAINTEXT://kafka-2:9092")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2");
    }

    @Test
    void aSingleNodeKeepsOneReplica() {
        KafkaNode node = new KafkaNode(1, "127.0.0.1:9092", "127.0.0.1:9092", "127.0.0.1:9093", "1@127.0.0.1:9093",
                Path.of("k1"));

        assertThat(node.properties()).containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1");
    }

    @Test
    void everyNodeOfAQuorumDerivesTheSameClusterId() {
        KafkaNode one = new KafkaNode(1, "a:1", "a:1", "127.0.0.1:9093", VOTERS, Path.of("k1"));
        KafkaNode three = new KafkaNode(3, "c:1", "c:1", "127.0.0.1:9293", VOTERS, Path.of("k3"));
        KafkaNode other = new KafkaNode(1, "a:1", "a:1", "127.0.0.1:9093", "1@127.0.0.1:9093", Path.of("k1"));

        assertThat(one.clusterId()).isEqualTo(three.clusterId()).isNotEqualTo(other.clusterId()).hasSize(22);
    }

    @Test
    void aNodeOutsideTheQuorumIsRefused() {
        assertThatThrownBy(() -> new KafkaNode(4, "a:1", "a:1", "b:2", VOTERS, Path.of("k4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 4 is not one of the controller quorum voters " + VOTERS);
    }
}
