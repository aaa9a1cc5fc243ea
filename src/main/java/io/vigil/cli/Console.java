package io.vigil.cli;

import io.vigil.model.BundleMetadata;
import io.vigil.model.Trainer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    /**
     * How much of the healthy validation windows' variance the kept network reconstructs, in total and for
     * the features it explains least and most: {@code explained variance 0.62 (floor 0.10); least x_peak 0.05, ...}.
     */
    static String explained(BundleMetadata m) {
        BundleMetadata.TrainingSummary t = m.training();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "explained variance of the validation windows %.3f (floor %.2f)", t.explainedVariance(),
                Trainer.MIN_EXPLAINED_VARIANCE));
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < t.explainedPerFeature().size(); f++) {
            if (t.explainedPerFeature().get(f) != null) {
                order.add(f);
            }
        }
        order.sort(Comparator.comparingDouble(f -> t.explainedPerFeature().get(f)));
        if (order.size() > 6) {
            order = new ArrayList<>(List.of(order.get(0), order.get(1), order.get(2), order.get(order.size() - 3),
                    order.get(order.size() - 2), order.get(order.size() - 1)));
        }
        s.append("; per feature, least to most:");
        for (int f : order) {
            s.append(String.format(Locale.ROOT, " %s %.2f", m.features().get(f), t.explainedPerFeature().get(f)));
        }
        return s.toString();
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
