package io.vigil.cli;

import io.vigil.evaluate.SensorEvaluation;
import io.vigil.evaluate.SensorReport;
import io.vigil.evaluate.SmartEvaluation;
import io.vigil.evaluate.SmartReport;
import io.vigil.model.AutoencoderSpec;
import io.vigil.model.ModelBundle;
import io.vigil.model.Trainer;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                "Other kinds: labelled recordings (label column, NAB labels.json, or ADXL356 file names); the model "
                        + "next to simple baselines (RMS z-score, robust z, windowed Gaussian, flag everything) on the "
                        + "same windows: point and window F1, AUC, labelled spans alerted, false alarms, and the "
                        + "model's recall at each baseline's false-alarm rate."},
        footer = {
                "",
                "Examples:",
                "  vigil evaluate --topology smart --data ../shared/data/backblaze-2013 --out report/smart",
                "  vigil evaluate --topology adxl356 --data ../shared/data/vibration-adxl356 --include '1200_*' --out report/adxl356/1200",
                "  vigil evaluate --topology skab --data ../shared/data/skab/valve1 --choose-on '[0-7]' --out report/skab",
                "  vigil evaluate --topology skab --data D/valve1 --train-data D/anomaly-free --out report/skab-af",
                "  vigil evaluate --topology nab --data D/artificialWithAnomaly D/realTraffic --choose-on 'art_*' --out R",
                "  vigil evaluate --topology smart --data D --out R --model report/smart/model.zip",
                "  vigil evaluate --topology smart --data D --out R --selection   (compare variants, not on test drives)"})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KindOption kind;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Recorded data: a Backblaze folder or zip, or labelled recordings (files or folders).")
    List<Path> data;

    @Option(names = "--train-data", arity = "1..*", paramLabel = "PATH",
            description = "Sensors: recordings that only train (their healthy rows), e.g. SKAB's anomaly-free run; "
                    + "without it, the warm-up part of each recording trains when the topology calibrates each device.")
    List<Path> trainData = new ArrayList<>();

    @Option(names = "--choose-on", paramLabel = "GLOB",
            description = "Sensors: device ids (file base names) of the recordings settings were chosen on; the report "
                    + "gives them apart (selection part) from the rest (test part), e.g. 'art_*' or '[0-7]'.")
    String chooseOn;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (created).")
    Path out;

    @Option(names = "--model", paramLabel = "FILE", description = "Evaluate this bundle instead of training one on the training split.")
    Path model;

    @Option(names = "--train", description = "Train on the training split (the default without --model); the bundle is saved as <out>/model.zip.")
    boolean train;

    @Mixin
    EpochsOption epochs = new EpochsOption(10);

    @Option(names = "--max-train-windows", defaultValue = "20000", paramLabel = "N",
            description = "Random subset of training windows, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxTrainWindows;

    @Mixin
    SeedOption seed;

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
        for (Path p : data) {
            if (!Files.exists(p)) {
                throw new UsageException(p + ": data not found");
            }
        }
        for (Path p : trainData) {
            if (!Files.exists(p)) {
                throw new UsageException(p + ": training data not found");
            }
        }
        SensorKind sensorKind = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, kind.name);
        ModelBundle bundle = null;
        if (model != null) {
            bundle = ModelBundle.load(model);
            bundle.checkCompatible(sensorKind, model);
        }
        PrintWriter err = spec.commandLine().getErr();
        Trainer.Settings settings = Trainer.Settings.defaults(sensorKind).withEpochs(epochs.max)
                .withMaxTrainWindows(maxTrainWindows).withSeed(seed.value);
        long started = System.nanoTime();
        Path report;
        ModelBundle used;
        if (!sensorKind.sources().isEmpty()) {
            if (data.size() > 1 || !trainData.isEmpty() || chooseOn != null) {
                throw new UsageException("topology '" + sensorKind.name() + "' (SMART) takes one --data folder or zip and "
                        + "no --train-data or --choose-on");
            }
            SmartEvaluation.Result result = new SmartEvaluation(sensorKind,
                    new SmartEvaluation.Settings(testShare, settings, selection), line -> progress(err, line)).run(data.get(0), bundle);
            report = SmartReport.write(result, out, data.get(0).toString(), commandLine(true));
            used = result.bundle();
            summary(String.format(Locale.ROOT, "Vigil: %d of %d failed drives caught >=1 day ahead, %d of %d healthy "
                            + "alerted; rule: %d caught, %d alerted; sector count grew: %d caught, %d alerted",
                    result.vigil().caught(), result.vigil().failed(), result.vigil().falseAlarms(),
                    result.vigil().healthy(), result.ruleSameDays().caught(), result.ruleSameDays().falseAlarms(),
                    result.grewSameDays().caught(), result.grewSameDays().falseAlarms()));
        } else {
            SensorEvaluation.Result result;
            try {
                result = new SensorEvaluation(sensorKind, settings, line -> progress(err, line))
                        .run(new SensorEvaluation.Options(data, trainData,
                                chooseOn != null ? chooseOn : sensorKind.chosenOn(), include), bundle);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage()); // e.g. too little healthy data to train on: one line
            }
            report = SensorReport.write(result, sensorKind, out, commandLine(false), provenance(sensorKind, settings, result));
            used = result.bundle();
            summary(result.summary());
        }
        if (bundle == null) {
            used.save(out.resolve("model.zip"));
        }
        summary(String.format(Locale.ROOT, "report: %s (%.0f s)", report, (System.nanoTime() - started) / 1e9));
        return 0;
    }

    /**
     * This run as a command line with every option that shapes its report spelled out, defaults included; the
     * report's header quotes it, so a report always names the command that regenerates it.
     */
    String commandLine(boolean smart) {
        StringBuilder line = new StringBuilder("vigil evaluate --topology " + kind.name + " --data");
        data.forEach(p -> line.append(' ').append(p));
        if (!trainData.isEmpty()) {
            line.append(" --train-data");
            trainData.forEach(p -> line.append(' ').append(p));
        }
        if (chooseOn != null) {
            line.append(" --choose-on ").append(BenchProvenance.quoted(chooseOn));
        }
        if (include != null) {
            line.append(" --include ").append(BenchProvenance.quoted(include));
        }
        line.append(" --out ").append(out);
        if (model != null) {
            line.append(" --model ").append(model);
        } else {
            line.append(" --epochs ").append(epochs.max).append(" --max-train-windows ").append(maxTrainWindows);
            if (seed.value != AutoencoderSpec.DEFAULT_SEED) {
                line.append(" --seed ").append(seed.value); // the default left out: reports written before --seed stay exact
            }
        }
        if (smart) {
            line.append(" --test-share ").append(testShare);
            if (selection) {
                line.append(" --selection");
            }
        }
        return line.toString();
    }

    /** What else shaped a sensor report (network, front-end), for its header: written by the code, never by hand. */
    private List<String> provenance(SensorKind sensorKind, Trainer.Settings settings, SensorEvaluation.Result result) {
        List<String> lines = new ArrayList<>();
        if (model != null) {
            lines.add("Model: the bundle " + model + " (not trained here)");
        } else {
            AutoencoderSpec net = result.bundle().metadata().spec();
            lines.add(String.format(Locale.ROOT, "Training: at most %d epochs (--epochs), early stopping after %d "
                            + "without improvement, at least %d steps an epoch, batch %d, Adam learning rate %s, hidden "
                            + "%d, bottleneck %d, seed %d, at most %d training windows (--max-train-windows); "
                            + "validation: the last %.0f %% of each training recording's windows",
                    settings.maxEpochs(), settings.patience(), Trainer.MIN_STEPS_PER_EPOCH, settings.batchSize(),
                    net.learningRate(), net.hidden(), net.bottleneck(), net.seed(), settings.maxTrainWindows(),
                    100 * settings.validationShare()));
        }
        lines.add(String.format(Locale.ROOT, "Topology `%s`: front-end %s; window %d, hop %d frames%s",
                sensorKind.name(), sensorKind.frontEnd().describe(), sensorKind.window(), sensorKind.hop(),
                sensorKind.chosenOn() == null ? "" : "; its parameters were chosen on `" + sensorKind.chosenOn()
                        + "` (chosenOn), the selection part unless --choose-on says otherwise"));
        return lines;
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
