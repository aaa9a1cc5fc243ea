package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil bench}: parent of the benchmarks; each benchmark is one subcommand class. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        header = "Run the benchmarks whose numbers go in docs/benchmarks.md, with the machine they ran on.",
        footer = {"", "Examples:",
                "  vigil bench model",
                "  vigil bench pipeline --devices 100,300,1000 --rate 100 --seconds 60",
                "  vigil bench memory --devices 1000,10000,100000",
                "  vigil bench replay --dir ../shared/data/backblaze-2013",
                "  vigil bench frontend --topologies adxl356,vibration",
                "  vigil bench train-memory --epochs 50"},
        subcommands = {
                BenchModelCommand.class,
                BenchPipelineCommand.class,
                BenchSoakCommand.class,
                BenchMemoryCommand.class,
                BenchReplayCommand.class,
                BenchFrontEndCommand.class,
                BenchTrainMemoryCommand.class,
        })
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine.usage(spec.commandLine(), System.out);
    }
}
