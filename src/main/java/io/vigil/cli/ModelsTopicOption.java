package io.vigil.cli;

import io.vigil.stream.ModelTopic;
import picocli.CommandLine.Option;

/** {@code --models-topic}: the compacted topic of model bundles that detectors follow (detect, model). */
final class ModelsTopicOption {

    @Option(names = "--models-topic", paramLabel = "TOPIC", defaultValue = ModelTopic.DEFAULT_TOPIC,
            description = "Compacted topic of model bundles, keyed by kind; detectors switch to what is published there"
                    + " (default: ${DEFAULT-VALUE}).")
    String topic;
}
