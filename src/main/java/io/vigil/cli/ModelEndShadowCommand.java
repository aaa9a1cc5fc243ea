package io.vigil.cli;

import io.vigil.stream.ModelTopic;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil model end-shadow}: stops a kind's shadow candidate. */
@Command(name = "end-shadow",
        mixinStandardHelpOptions = true,
        header = "Stop scoring a kind's shadow candidate; the live model is untouched.")
public final class ModelEndShadowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "KIND", description = "Sensor kind whose shadow ends.")
    String kind;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Mixin
    ModelsTopicOption models;

    @Override
    public Integer call() {
        try {
            ModelTopic.endShadow(bootstrap.servers, kafkaSecurity.clientConfig(), models.topic, kind);
        } catch (IllegalStateException e) {
            throw new UsageException("Kafka " + bootstrap.servers + ": " + e.getMessage());
        }
        System.out.printf("ended the shadow of kind %s on %s%n", kind, models.topic);
        return 0;
    }
}
