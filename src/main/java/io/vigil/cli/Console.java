package io.vigil.cli;

import io.vigil.model.Trainer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** Console lines shared by the commands that show progress. */
final class Console {

    private Console() {
    }

    static void epoch(PrintWriter log, Trainer.EpochReport r) {
        log.printf(Locale.ROOT, "train: epoch %2d/%d  loss %.5f  validation %.5f%s  %5.1f s  ETA %s%n", r.epoch(),
                r.maxEpochs(), r.trainLoss(), r.validationLoss(), r.best() ? " *" : "  ",
                r.took().toMillis() / 1000.0, duration(r.eta()));
        log.flush();
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
