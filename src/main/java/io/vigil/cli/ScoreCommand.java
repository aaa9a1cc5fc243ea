package io.vigil.cli;

import io.vigil.evaluate.Judged;
import io.vigil.evaluate.SensorEvaluation;
import io.vigil.model.ModelBundle;
import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil score}: scores recorded or simulated data offline with a model bundle. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        header = "Score recorded or simulated data offline with a model bundle, one CSV line per window.",
        description = "Writes device,window_start,window_end,score,threshold,anomalous on stdout and a per-device "
                + "summary on stderr. The bundle's kind picks its file in --topologies.",
        footer = {"", "Examples:",
                "  vigil score --model models/vibration.zip --data simulator/faults.yaml",
                "  vigil score --model models/adxl356.zip --data ../shared/data/vibration-adxl356 > scores.csv"})
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model bundle written by 'vigil train'.")
    Path model;

    @Mixin
    DataOption data;

    @Mixin
    TopologiesOption topologies;

    @Override
    public Integer call() {
        // every input is checked and read before the first line of output: an error is then the only line
        DataSources.requireExisting(data.paths);
        ModelBundle bundle = ModelBundle.load(model);
        SensorKind kind = topologies.load(bundle.metadata().kind());
        bundle.checkCompatible(kind, model);
        List<DeviceSeries> devices = DataSources.read(data.paths, kind);
        WindowScorer scorer = bundle.scorer();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        double threshold = scorer.threshold();
        out.println("device,window_start,window_end,score,threshold,anomalous");
        for (DeviceSeries series : devices) {
            // a topology with alert.calibrate judges each device against its own warm-up, as the detector does;
            // warm-up windows have an empty threshold and are never anomalous
            Judged judged = SensorEvaluation.judge(kind, series, windows -> scorer.score(windows).stream()
                    .mapToDouble(WindowScore::score).toArray(), threshold, false);
            List<Window> windows = judged.windows();
            int over = 0;
            double max = 0;
            for (int i = 0; i < windows.size(); i++) {
                double score = judged.scores()[i];
                boolean anomalous = judged.flagged(i);
                over += anomalous ? 1 : 0;
                max = Math.max(max, score);
                out.printf(Locale.ROOT, "%s,%d,%d,%.6f,%s,%d%n", series.device(), windows.get(i).startMs(),
                        windows.get(i).endMs(), score, judged.judged(i)
                                ? String.format(Locale.ROOT, "%.6f", judged.thresholds()[i]) : "", anomalous ? 1 : 0);
            }
            err.printf(Locale.ROOT, "score: %-28s %6d windows, %6d over threshold (%5.1f%%), max %.4f%n",
                    series.device(), windows.size(), over, windows.isEmpty() ? 0 : 100.0 * over / windows.size(), max);
        }
        out.flush();
        err.flush();
        return 0;
    }
}
