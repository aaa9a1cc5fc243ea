package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vigil.testkit.CliRun;
import io.vigil.testkit.TestModels;
import io.vigil.kind.SensorKindLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * A wrong invocation is one line on stderr naming what is wrong, nothing on stdout, exit code 2 —
 * reported before any model loads or any client connects, so nothing is logged either.
 */
class UsageErrorsCliTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void detachLog() {
        root.detachAppender(logged);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "score --bogus"
                    + "| vigil: Unknown option: '--bogus' (see 'vigil score --help')",
            "score --model m.zip --bogus x"
                    + "| vigil: Unknown options: '--bogus', 'x' (see 'vigil score --help')",
            "score --model m.zip --data d.csv --bogus"
                    + "| vigil: Unknown option: '--bogus'; Expected parameter for option '--data' but found '--bogus'"
                    + " (see 'vigil score --help')",
            "bench model --nope"
                    + "| vigil: Unknown option: '--nope' (see 'vigil bench model --help')",
            "bench train-memory --epochs 0"
                    + "| vigil: epochs, devices and hop must be positive, window at least 2 and samples at least two"
                    + " windows; got epochs 0, devices 4, samples 2500, window 64, hop 1",
            "score --model nope.zip --data nope.csv"
                    + "| vigil: nope.csv: no such file or folder",
            "replay csv --file nope.csv --topology vibration --to kafka --bootstrap localhost:1"
                    + "| vigil: nope.csv: recording not found",
            "train --topology vibration --data simulator/healthy.yaml --max-windows -1"
                    + "| vigil: --epochs, --hidden and --bottleneck must be positive, --max-windows 0 or more",
            "train --topology vibration --data simulator/healthy.yaml --epochs 0"
                    + "| vigil: --epochs, --hidden and --bottleneck must be positive, --max-windows 0 or more",
    })
    void aWrongInvocationIsOneLineAndExitTwo(String args, String expected) {
        Run run = run(args.strip().split(" "));

        assertThat(run).isEqualTo(new Run(Vigil.USAGE_ERROR, "", expected.strip() + System.lineSeparator(), List.of()));
    }

    @Test
    void scoringAMissingFileWithARealModelPrintsNoHeaderFirst() {
        // given: a model that loads
        Path model = TestModels.vibration(SensorKindLoader.load(Path.of("topologies/vibration.yaml")));

        // when
        Run run = run("score", "--model", model.toString(), "--data", "nope.csv");

        // then
        assertThat(run).isEqualTo(new Run(Vigil.USAGE_ERROR, "", "vigil: nope.csv: no such file or folder"
                + System.lineSeparator(), List.of()));
    }

    /** @param log what the run logged (INFO and up, Kafka and ND4J at WARN), one "LEVEL message" each */
    record Run(int exit, String out, String err, List<String> log) {
    }

    private Run run(String... args) {
        logged.start();
        root.addAppender(logged);
        CliRun cli = CliRun.of(args);
        root.detachAppender(logged);
        return new Run(cli.exit(), cli.out(), cli.err(),
                logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
    }
}
