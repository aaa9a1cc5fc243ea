package io.vigil.cli;

import io.vigil.evaluate.SensorEvaluation;
import io.vigil.evaluate.SmartEvaluation;
import io.vigil.evaluate.SmartReport;
import io.vigil.model.AutoencoderSpec;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil evaluate}: recorded data through the stream's windowing, scoring and alerting; a report folder. */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        header = "Evaluate a model on recorded data and write report.md with PNG plots to --out.",
        description = {
                "SMART (a topology with sources): Backblaze daily files, drives split by serial; Vigil versus "
                        + "Backblaze's rule (raw SMART 5/187/188/197/198 > 0).",
                "Other kinds: labelled recordings (label column, or ADXL356 file names); ROC AUC per fault, "
                        + "precision/recall/F1 at the calibrated threshold, detection delay."},
        footer = {
                "",
                "Examples:",
                "  vigil evaluate --topology smart --data ../shared/data/backblaze-2013 --out report/smart",
                "  vigil evaluate --topology adxl356 --data ../shared/data/vibration-adxl356 --include '1200_*' --out report/adxl356/1200",
                "  vigil evaluate --topology smart --data D --out R --model report/smart/model.zip",
                "  vigil evaluate --topology smart --data D --out R --selection   (compare variants, not on test drives)"})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "KIND", description = "Sensor kind or topology file.")
    String topologyName;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Recorded data: Backblaze folder or zip, or recordings.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (created).")
    Path out;

    @Option(names = "--model", paramLabel = "FILE", description = "Evaluate this bundle instead of training one on the training split.")
    Path model;

    @Option(names = "--train", description = "Train on the training split (the default without --model); the bundle is saved as <out>/model.zip.")
    boolean train;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Training epochs at most (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-train-windows", defaultValue = "20000", paramLabel = "N",
            description = "Random subset of training windows, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxTrainWindows;

    @Option(names = "--test-share", defaultValue = "0.5", paramLabel = "S",
            description = "SMART: share of drives held out for testing (default: ${DEFAULT-VALUE}).")
    double testShare;

    @Option(names = "--include", paramLabel = "GLOB",
            description = "Sensor recordings: only those whose name matches, e.g. '1200_*' (one ADXL356 shaft speed).")
    String include;

    @Option(names = "--selection",
            description = "SMART: judge the selection drives (the training half's failed drives and its healthy "
                    + "validation drives) instead of the test half, to compare variants without the test set.")
    boolean selection;

    @Override
    public Integer call() throws Exception {
        if (model != null && train) {
            throw new UsageException("give either --model FILE or --train, not both");
        }
        if (!Files.exists(data)) {
            throw new UsageException(data + ": data not found");
        }
        SensorTopology topology = TopologyLoader.load(TopologyLoader.DEFAULT_DIR, topologyName);
        ModelBundle bundle = null;
        if (model != null) {
            bundle = ModelBundle.load(model);
            bundle.checkCompatible(topology, model);
        }
        PrintWriter err = spec.commandLine().getErr();
        Trainer.Settings settings = Trainer.Settings.defaults(topology).withEpochs(epochs)
                .withMaxTrainWindows(maxTrainWindows);
        long started = System.nanoTime();
        Path report;
        ModelBundle used;
        if (!topology.sources().isEmpty()) {
            SmartEvaluation.Result result = new SmartEvaluation(topology,
                    new SmartEvaluation.Settings(testShare, settings, selection), line -> progress(err, line)).run(data, bundle);
            report = SmartReport.write(result, out, data.toString(), commandLine());
            used = result.bundle();
            summary(String.format(Locale.ROOT, "Vigil: %d of %d failed drives caught >=1 day ahead, %d of %d healthy "
                            + "alerted; rule: %d caught, %d alerted; sector count grew: %d caught, %d alerted",
                    result.vigil().caught(), result.vigil().failed(), result.vigil().falseAlarms(),
                    result.vigil().healthy(), result.ruleSameDays().caught(), result.ruleSameDays().falseAlarms(),
                    result.grewSameDays().caught(), result.grewSameDays().falseAlarms()));
        } else {
            SensorEvaluation.Result result;
            try {
                result = new SensorEvaluation(topology, settings, line -> progress(err, line)).run(data, bundle, include);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            report = SensorEvaluation.writeReport(result, out, data.toString(), provenance(topology, settings, result));
            used = result.bundle();
            summary(result.summary());
        }
        if (bundle == null) {
            used.save(out.resolve("model.zip"));
        }
        summary(String.format(Locale.ROOT, "report: %s (%.0f s)", report, (System.nanoTime() - started) / 1e9));
        return 0;
    }

    /** This run as a command line with every option that shapes a SMART report spelled out, defaults included. */
    String commandLine() {
        StringBuilder line = new StringBuilder("vigil evaluate --topology " + topologyName + " --data " + data
                + " --out " + out);
        if (model != null) {
            line.append(" --model ").append(model);
        } else {
            line.append(" --epochs ").append(epochs).append(" --max-train-windows ").append(maxTrainWindows);
        }
        line.append(" --test-share ").append(testShare);
        if (selection) {
            line.append(" --selection");
        }
        return line.toString();
    }

    /** Everything that shaped a sensor report, for its header: written by the code, never by hand. */
    private List<String> provenance(SensorTopology topology, Trainer.Settings settings, SensorEvaluation.Result result) {
        List<String> lines = new ArrayList<>();
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (args.isEmpty() || !args.get(0).equals("evaluate")) { // the whole command line, or this command's part
            args.add(0, "evaluate");
        }
        lines.add("Command: `vigil " + String.join(" ", args.stream().map(EvaluateCommand::quoted).toList()) + "`");
        if (model != null) {
            lines.add("Model: the bundle " + model + " (not trained here)");
        } else {
            AutoencoderSpec net = result.bundle().metadata().spec();
            lines.add(String.format(Locale.ROOT, "Training: at most %d epochs (--epochs), early stopping after %d "
                            + "without improvement, at least %d steps an epoch, batch %d, Adam learning rate %s, hidden "
                            + "%d, bottleneck %d, seed %d, at most %d training windows (--max-train-windows); "
                            + "validation: the last %.0f %% of each healthy training recording's windows",
                    settings.maxEpochs(), settings.patience(), Trainer.MIN_STEPS_PER_EPOCH, settings.batchSize(),
                    net.learningRate(), net.hidden(), net.bottleneck(), net.seed(), settings.maxTrainWindows(),
                    100 * settings.validationShare()));
        }
        lines.add(String.format(Locale.ROOT, "Split: each healthy recording's first %.0f %% trains, the rest is test; "
                + "every fault recording is test", 100 * SensorEvaluation.TRAIN_SHARE));
        lines.add(String.format(Locale.ROOT, "Topology `%s`: front-end %s; window %d, hop %d frames",
                topology.kind(), topology.frontEnd().describe(), topology.window(), topology.hop()));
        List<String> devices = result.recordings().stream().map(SensorEvaluation.Scored::device).distinct().toList();
        if (topology.chosenOn() == null) {
            lines.add("Recordings: " + String.join(", ", devices) + ". The topology names no selection part (chosenOn)");
        } else {
            java.nio.file.PathMatcher chosen = java.nio.file.FileSystems.getDefault()
                    .getPathMatcher("glob:" + topology.chosenOn());
            long selection = devices.stream().filter(d -> chosen.matches(Path.of(d))).count();
            String part = selection == devices.size()
                    ? "all of these recordings are in it: the numbers below are the selection's, not a test"
                    : selection == 0 ? "none of these recordings is in it: test data, never used for a choice"
                    : selection + " of these " + devices.size() + " recordings are in it";
            lines.add(String.format(Locale.ROOT, "Recordings: %s. The topology's parameters were chosen on `%s` "
                    + "(chosenOn): %s", String.join(", ", devices), topology.chosenOn(), part));
        }
        return lines;
    }

    private static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./=:-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private void summary(String line) {
        spec.commandLine().getOut().println("evaluate: " + line);
        spec.commandLine().getOut().flush();
    }

    private static void progress(PrintWriter err, String line) {
        err.println("evaluate: " + line);
        err.flush();
    }
}
