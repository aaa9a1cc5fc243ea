package io.vigil.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --data}: what {@code train} and {@code score} read, through {@link DataSources}. */
final class DataOption {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Scenario files (*.yaml) or recordings (generic CSV, ADXL356 *.Wfm.csv, folders of them).")
    List<Path> paths;
}
