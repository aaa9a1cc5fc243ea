package io.vigil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir}: Backblaze Drive Stats, for {@code replay backblaze} and {@code bench replay}. */
final class BackblazeDirOption {

    @Option(names = "--dir", required = true, paramLabel = "DIR|ZIP",
            description = "Backblaze daily files (YYYY-MM-DD.csv), or a zip of them.")
    Path path;
}
