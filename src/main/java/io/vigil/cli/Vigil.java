package io.vigil.cli;

import io.vigil.config.ConfigException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: wires the subcommands; each command class does one job. */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        version = "vigil 0.1.0",
        header = "Streaming anomaly detection for industrial IoT: MQTT v5 -> Kafka Streams -> LSTM autoencoder -> alerts.",
        subcommands = {
                CommandLine.HelpCommand.class,
                SimulateCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                DetectCommand.class,
                BrokerCommand.class,
                BridgeCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                EvaluateCommand.class,
                ReplayCommand.class,
                ModelCommand.class,
        })
public final class Vigil implements Runnable {

    /** Exit code for usage errors: wrong flags, missing files, bad configuration. */
    public static final int USAGE_ERROR = 2;
    /** Columns of {@code --help}; no help line is longer. */
    public static final int USAGE_HELP_WIDTH = 120;

    public static void main(String[] args) {
        System.setOut(QuietStdout.withoutSameDiffChatter(System.out));
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it directly. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Vigil());
        // Wide enough that descriptions keep their line breaks and examples stay one copyable line;
        // fixed, not the terminal's width, so the help reads the same everywhere (and in tests).
        cli.setUsageHelpWidth(USAGE_HELP_WIDTH);
        // "--data d --bogus" is a mistyped option, not a file named --bogus
        cli.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof UsageException) {
                commandLine.getErr().println("vigil: " + e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("vigil: " + firstProblem(e)
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE_ERROR;
        });
        return cli;
    }

    /**
     * Picocli checks required options before it reports unknown ones, so {@code score --bogus} would say only
     * "Missing required options"; a mistyped option explains the missing one, so it is named first, and alone.
     */
    private static String firstProblem(CommandLine.ParameterException e) {
        List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
        return unmatched.isEmpty() ? e.getMessage()
                : new CommandLine.UnmatchedArgumentException(e.getCommandLine(), unmatched).getMessage();
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
