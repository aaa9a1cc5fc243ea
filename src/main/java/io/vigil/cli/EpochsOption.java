package io.vigil.cli;

import picocli.CommandLine.Option;

/**
 * {@code --epochs}: the most training epochs, early stopping allowed (train, evaluate). Each command sets its
 * default by constructing the mixin (no no-argument constructor, so none forgets). ({@code bench train-memory}'s {@code --epochs} trains every epoch: another idea.)
 */
final class EpochsOption {

    @Option(names = "--epochs", paramLabel = "N",
            description = "Training epochs at most; early stopping may end sooner (default: ${DEFAULT-VALUE}).")
    int max;

    EpochsOption(int defaultMax) {
        this.max = defaultMax;
    }
}
