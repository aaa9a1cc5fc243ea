package io.vigil.cli;

import io.vigil.model.AutoencoderSpec;
import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed of a training run (initial weights, which training windows are kept, batch order),
 * so a run can be repeated or varied; held-out validation data does not move with it.
 */
final class SeedOption {

    @Option(names = "--seed", defaultValue = "" + AutoencoderSpec.DEFAULT_SEED, paramLabel = "N",
            description = "Training seed: initial weights, training-window subset, batch order (default: ${DEFAULT-VALUE}).")
    long value;
}
