package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil model}: parent of the model roll-out commands. */
@Command(name = "model",
        mixinStandardHelpOptions = true,
        header = "Roll a model bundle out to every running detector, or try it in shadow, without a restart.",
        footer = {"", "Examples:",
                "  vigil model publish models/vibration.zip --bootstrap kafka:9092",
                "  vigil model publish --shadow candidate.zip --bootstrap kafka:9092",
                "  vigil model end-shadow vibration --bootstrap kafka:9092"},
        subcommands = {
                ModelPublishCommand.class,
                ModelEndShadowCommand.class,
        })
public final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine.usage(spec.commandLine(), System.out);
    }
}
