package io.vigil.model;

import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains an autoencoder on healthy data and calibrates its threshold.
 *
 * <ol>
 *   <li>Cut every device's series into windows with the shared {@link Windower}.</li>
 *   <li>Hold out validation windows: the last {@code validationShare} of each device's windows
 *       (split by time, with a gap of one window so no sample is in both sets), or whole devices
 *       when {@code splitByDevice} (used for drives, never split by row).</li>
 *   <li>Fit the normalizer on training windows only.</li>
 *   <li>Mini-batch Adam; after each epoch report training and validation loss, time and ETA; stop
 *       early when validation loss has not improved for {@code patience} epochs and keep the best
 *       epoch's weights. An epoch is one pass over the training windows but at least
 *       {@value #MIN_STEPS_PER_EPOCH} optimizer steps (passes repeat, reshuffled): with a few dozen
 *       windows one pass is one or two steps, and patience would then stop a network that has not yet
 *       moved from its initial weights (ADXL356 at 1200 rpm stopped after its first epoch at loss 1.0).</li>
 *   <li>Measure how much of the validation windows' variance the kept network reconstructs; below
 *       {@value #MIN_EXPLAINED_VARIANCE} it learned nothing worth a bundle, and training fails
 *       ({@link NothingLearned}).</li>
 *   <li>Calibrate the threshold on validation errors ({@link ThresholdCalibration}): per window, or per
 *       validation device when the topology's alert policy names a {@code healthyDeviceShare}.</li>
 * </ol>
 */
public final class Trainer {

    /**
     * Fewest optimizer steps an epoch makes, repeating small training sets (see the class comment). Below
     * the simulator's 24 steps a pass (1,500 windows of 64), so that training, like the demo's, is unchanged.
     */
    public static final int MIN_STEPS_PER_EPOCH = 20;

    /**
     * Floor on the explained variance of the validation windows. A network that outputs the training
     * mean explains about 0 (the ADXL356 run that stopped at its first epoch with loss 1.0 did); one that
     * learned the healthy structure explains more. Frames of stationary vibration are mostly noise, so
     * even a good model explains little of them (0.18 on ADXL356 at 1200 rpm, the selection data); 0.05
     * refuses a network that has not moved without refusing that one.
     */
    public static final double MIN_EXPLAINED_VARIANCE = 0.05;

    /** Training ended with a network that reconstructs (almost) none of the validation windows' variance. */
    public static final class NothingLearned extends IllegalArgumentException {
        public NothingLearned(String message) {
            super(message);
        }
    }

    /**
     * @param engine          {@code samediff} (default) or {@code layers}
     * @param maxEpochs       upper bound on epochs
     * @param batchSize       mini-batch size
     * @param validationShare share of windows (or devices) held out
     * @param splitByDevice   hold out whole devices instead of each device's tail
     * @param patience        epochs without validation improvement before stopping
     * @param maxTrainWindows cap on training windows (random subset), 0 = no cap
     * @param quantile        calibration quantile
     * @param margin          calibration margin
     * @param spec            network shape; features and window are overridden from the topology; its seed
     *                        draws the initial weights, the training-window subset and the batch order
     * @param splitSeed       draws the devices held out when {@code splitByDevice}; apart from the spec's seed
     *                        so that models trained with other seeds are judged on the same held-out devices
     */
    public record Settings(String engine, int maxEpochs, int batchSize, double validationShare, boolean splitByDevice,
                           int patience, int maxTrainWindows, double quantile, double margin, AutoencoderSpec spec,
                           long splitSeed) {

        public Settings(String engine, int maxEpochs, int batchSize, double validationShare, boolean splitByDevice,
                        int patience, int maxTrainWindows, double quantile, double margin, AutoencoderSpec spec) {
            this(engine, maxEpochs, batchSize, validationShare, splitByDevice, patience, maxTrainWindows, quantile,
                    margin, spec, AutoencoderSpec.DEFAULT_SEED);
        }

        public static Settings defaults(SensorKind kind) {
            return new Settings("samediff", 40, 64, 0.2, false, 4, 0, ThresholdCalibration.DEFAULT_QUANTILE,
                    ThresholdCalibration.DEFAULT_MARGIN, AutoencoderSpec.of(kind.modelFeatures().size(), kind.window()));
        }

        /** The training seed (initial weights, window subset, batch order); the held-out devices stay as they are. */
        public Settings withSeed(long seed) {
            return withSpec(new AutoencoderSpec(spec.features(), spec.window(), spec.hidden(), spec.bottleneck(),
                    spec.learningRate(), seed));
        }

        public Settings withEpochs(int epochs) {
            return new Settings(engine, epochs, batchSize, validationShare, splitByDevice, patience, maxTrainWindows,
                    quantile, margin, spec, splitSeed);
        }

        public Settings withEngine(String name) {
            return new Settings(name, maxEpochs, batchSize, validationShare, splitByDevice, patience, maxTrainWindows,
                    quantile, margin, spec, splitSeed);
        }

        public Settings withSpec(AutoencoderSpec newSpec) {
            return new Settings(engine, maxEpochs, batchSize, validationShare, splitByDevice, patience, maxTrainWindows,
                    quantile, margin, newSpec, splitSeed);
        }

        public Settings withSplitByDevice(boolean byDevice) {
            return new Settings(engine, maxEpochs, batchSize, validationShare, byDevice, patience, maxTrainWindows,
                    quantile, margin, spec, splitSeed);
        }

        public Settings withMaxTrainWindows(int max) {
            return new Settings(engine, maxEpochs, batchSize, validationShare, splitByDevice, patience, max,
                    quantile, margin, spec, splitSeed);
        }
    }

    /** Progress of one epoch, for the console. */
    public record EpochReport(int epoch, int maxEpochs, double trainLoss, double validationLoss, boolean best,
                              Duration took, Duration eta) {
    }

    /** Receives progress; the CLI prints it, tests ignore it. */
    public interface Progress {
        void epoch(EpochReport report);

        Progress NONE = report -> { };
    }

    private final SensorKind kind;
    private final Settings settings;
    private final Progress progress;

    public Trainer(SensorKind kind, Settings settings, Progress progress) {
        this.kind = kind;
        this.settings = settings;
        this.progress = progress;
    }

    /** Trains on the given healthy series; {@code sources} are recorded in the bundle. */
    public ModelBundle train(List<DeviceSeries> healthy, List<String> sources) {
        long started = System.nanoTime();
        Windower.Shape shape = Windower.Shape.of(kind);
        List<Window> train = new ArrayList<>();
        List<Window> validation = new ArrayList<>();
        List<Integer> perDevice = new ArrayList<>();       // validation windows of each validation device, in order
        split(healthy, shape, train, validation, perDevice);
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("not enough healthy data: " + train.size() + " training and "
                    + validation.size() + " validation windows of " + kind.window() + " samples; record longer");
        }
        Random random = new Random(settings.spec().seed());
        if (settings.maxTrainWindows() > 0 && train.size() > settings.maxTrainWindows()) {
            Collections.shuffle(train, random);
            train = new ArrayList<>(train.subList(0, settings.maxTrainWindows()));
        }
        Normalizer normalizer = Normalizer.fit(train);
        AutoencoderSpec spec = new AutoencoderSpec(kind.modelFeatures().size(), kind.window(), settings.spec().hidden(),
                settings.spec().bottleneck(), settings.spec().learningRate(), settings.spec().seed());
        Autoencoder network = ModelBundle.newNetwork(settings.engine(), spec);

        INDArray validationInput = Windows.batch(validation, normalizer);
        List<Window> trainSample = train.subList(0, Math.min(train.size(), 1024));
        INDArray trainSampleInput = Windows.batch(trainSample, normalizer);
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestTrainLoss = Double.NaN;
        int bestEpoch = 0;
        int epoch = 0;
        Map<String, INDArray> bestParams = network.parameters();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        List<Double> trainLosses = new ArrayList<>();
        List<Double> validationLosses = new ArrayList<>();
        while (epoch < settings.maxEpochs() && epoch - bestEpoch < settings.patience()) {
            epoch++;
            long epochStart = System.nanoTime();
            int steps = 0;
            do {
                Collections.shuffle(order, random);
                for (int from = 0; from < order.size(); from += settings.batchSize()) {
                    List<Window> batch = new ArrayList<>(settings.batchSize());
                    for (int i = from; i < Math.min(order.size(), from + settings.batchSize()); i++) {
                        batch.add(train.get(order.get(i)));
                    }
                    network.fitBatch(Windows.batch(batch, normalizer));
                    steps++;
                }
            } while (steps < MIN_STEPS_PER_EPOCH);
            double validationLoss = meanError(network, validationInput);
            double trainLoss = meanError(network, trainSampleInput);
            trainLosses.add(trainLoss);
            validationLosses.add(validationLoss);
            boolean best = validationLoss < bestLoss;
            if (best) {
                bestLoss = validationLoss;
                bestTrainLoss = trainLoss;
                bestEpoch = epoch;
                bestParams = network.parameters();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - epochStart);
            progress.epoch(new EpochReport(epoch, settings.maxEpochs(), trainLoss, validationLoss, best, took,
                    took.multipliedBy(settings.maxEpochs() - epoch)));
        }
        network.setParameters(bestParams);
        Explained explained = Explained.of(validationInput, network.reconstruct(validationInput));
        if (!(explained.total() >= MIN_EXPLAINED_VARIANCE)) {
            throw new NothingLearned(String.format(java.util.Locale.ROOT, "%s: the trained network reconstructs %.1f %% "
                    + "of the healthy validation windows' variance (at least %.0f %% required, best of %d epochs, "
                    + "validation loss %.3f): it learned nothing; train longer, on more data, or change the "
                    + "topology's front-end", kind.name(), 100 * explained.total(), 100 * MIN_EXPLAINED_VARIANCE,
                    epoch, bestLoss));
        }

        double[] errors = ReconstructionError.of(validationInput, network.reconstruct(validationInput)).stream()
                .mapToDouble(WindowScore::score).toArray();
        ThresholdCalibration calibration = calibrate(errors, perDevice);
        long samples = healthy.stream().mapToLong(DeviceSeries::size).sum();
        double seconds = (System.nanoTime() - started) / 1e9;
        BundleMetadata.TrainingSummary summary = new BundleMetadata.TrainingSummary(List.copyOf(sources),
                healthy.size(), samples, train.size(), validation.size(), epoch, bestEpoch, bestTrainLoss, bestLoss,
                seconds, trainLosses, validationLosses, explained.total(), explained.perFeature());
        Instant now = Instant.now();
        BundleMetadata metadata = new BundleMetadata(ModelBundle.FORMAT, kind.name() + "-" + versionId(now, network), kind.name(),
                kind.modelFeatures(), kind.window(), kind.hop(), kind.preprocess().block(),
                kind.preprocess().stat().name(), settings.engine(), spec, normalizer, calibration, summary,
                now.toString(), kind.frontEnd().describe());
        return new ModelBundle(metadata, network);
    }

    /** Window form by default; per-device form when the topology's alert policy names a healthy device share. */
    private ThresholdCalibration calibrate(double[] errors, List<Integer> perDevice) {
        Double share = kind.alert().healthyDeviceShare();
        if (share == null) {
            return ThresholdCalibration.calibrate(errors, settings.quantile(), settings.margin());
        }
        List<double[]> devices = new ArrayList<>();
        int from = 0;
        for (int n : perDevice) {
            devices.add(Arrays.copyOfRange(errors, from, from + n));
            from += n;
        }
        return ThresholdCalibration.forDeviceShare(devices, kind.alert().raiseAfter(), share);
    }

    private void split(List<DeviceSeries> healthy, Windower.Shape shape, List<Window> train, List<Window> validation,
                       List<Integer> perDevice) {
        if (settings.splitByDevice()) {
            List<DeviceSeries> devices = shuffled(healthy, settings);
            int held = heldOutCount(devices.size(), settings);
            for (int i = 0; i < devices.size(); i++) {
                List<Window> windows = Windows.cut(devices.get(i), shape);
                (i < held ? validation : train).addAll(windows);
                if (i < held) {
                    perDevice.add(windows.size());
                }
            }
            return;
        }
        int gap = (int) Math.ceil((double) shape.window() / shape.hop()); // windows sharing samples with the split point
        for (DeviceSeries series : healthy) {
            List<Window> windows = Windows.cut(series, shape);
            int held = (int) Math.round(windows.size() * settings.validationShare());
            int cut = windows.size() - held;
            train.addAll(windows.subList(0, Math.max(0, cut - gap)));
            validation.addAll(windows.subList(cut, windows.size()));
            perDevice.add(windows.size() - cut);
        }
    }

    /**
     * The devices {@link #train} holds out for validation and calibration when {@code splitByDevice}:
     * {@code validationShare} of them (at least one), drawn with the split seed. Evaluation reads the
     * same set so that it can judge variants on drives the network never trained on.
     */
    public static Set<String> heldOutDevices(List<DeviceSeries> healthy, Settings settings) {
        List<DeviceSeries> devices = shuffled(healthy, settings);
        Set<String> ids = new HashSet<>();
        for (DeviceSeries series : devices.subList(0, Math.min(heldOutCount(devices.size(), settings), devices.size()))) {
            ids.add(series.device());
        }
        return ids;
    }

    private static List<DeviceSeries> shuffled(List<DeviceSeries> healthy, Settings settings) {
        List<DeviceSeries> devices = new ArrayList<>(healthy);
        Collections.shuffle(devices, new Random(settings.splitSeed()));
        return devices;
    }

    private static int heldOutCount(int devices, Settings settings) {
        return Math.max(1, (int) Math.round(devices * settings.validationShare()));
    }

    /**
     * Explained variance of normalized windows {@code [batch, features, time]}: per feature
     * {@code 1 - sum (reconstruction - input)^2 / sum (input - its mean)^2}, and the same over all features
     * (sums pooled). A feature that does not vary in validation has none to explain: null.
     */
    record Explained(double total, List<Double> perFeature) {

        static Explained of(INDArray input, INDArray reconstruction) {
            long[] shape = input.shape();
            int batch = (int) shape[0];
            int features = (int) shape[1];
            int time = (int) shape[2];
            float[] x = input.dup('c').data().asFloat();
            float[] y = reconstruction.dup('c').data().asFloat();
            double[] sum = new double[features];
            double[] sumSq = new double[features];
            double[] error = new double[features];
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < features; f++) {
                    int base = (b * features + f) * time;
                    for (int t = 0; t < time; t++) {
                        double v = x[base + t];
                        double d = y[base + t] - v;
                        sum[f] += v;
                        sumSq[f] += v * v;
                        error[f] += d * d;
                    }
                }
            }
            long n = (long) batch * time;
            double totalVariance = 0;
            double totalError = 0;
            List<Double> perFeature = new ArrayList<>();
            for (int f = 0; f < features; f++) {
                double variance = Math.max(0, sumSq[f] - sum[f] * sum[f] / n);
                totalVariance += variance;
                totalError += error[f];
                perFeature.add(variance > 1e-9 * n ? 1 - error[f] / variance : null);
            }
            return new Explained(totalVariance > 0 ? 1 - totalError / totalVariance : Double.NaN, perFeature);
        }
    }

    private static double meanError(Autoencoder network, INDArray input) {
        return ReconstructionError.of(input, network.reconstruct(input)).stream()
                .mapToDouble(WindowScore::score).average().orElse(Double.NaN);
    }

    private static String versionId(Instant now, Autoencoder network) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        int hash = 17;
        for (INDArray p : network.parameters().values()) {
            hash = 31 * hash + Arrays.hashCode(p.dup('c').data().asFloat());
        }
        return stamp + "-" + String.format("%08x", hash);
    }
}
