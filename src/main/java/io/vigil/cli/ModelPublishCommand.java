package io.vigil.cli;

import io.vigil.stream.ModelTopic;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil model publish}: writes a bundle to the models topic under its kind. */
@Command(name = "publish",
        mixinStandardHelpOptions = true,
        header = "Publish a model bundle: every detector of its kind switches to it between two batches.",
        description = {"The bundle goes to the models topic under its kind; publishing the previous bundle rolls back.",
                "With --shadow it scores the same windows on <scores topic>.shadow instead, raising no alerts, until"
                        + " 'vigil model end-shadow' or the next live publish."})
public final class ModelPublishCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE", description = "Model bundle written by 'vigil train'.")
    Path bundle;

    @Option(names = "--shadow", description = "Score it in shadow next to the live model instead of replacing it.")
    boolean shadow;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Mixin
    ModelsTopicOption models;

    @Override
    public Integer call() {
        ModelTopic.Published published;
        try {
            published = ModelTopic.publish(bootstrap.servers, kafkaSecurity.clientConfig(), models.topic, bundle,
                    shadow);
        } catch (IllegalStateException e) {
            throw new UsageException("Kafka " + bootstrap.servers + ": " + e.getMessage());
        }
        System.out.printf("published model %s of kind %s %s to %s at offset %d%n", published.version(),
                published.kind(), shadow ? "in shadow" : "live", models.topic, published.offset());
        return 0;
    }
}
