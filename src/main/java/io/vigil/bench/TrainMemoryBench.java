package io.vigil.bench;

import io.vigil.evaluate.Charts;
import io.vigil.model.AutoencoderSpec;
import io.vigil.model.ThresholdCalibration;
import io.vigil.model.Trainer;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Process memory across training epochs: trains the production autoencoder on a synthetic 8-sensor
 * recording (the shape of a pump test bed: vibration RMS, current, pressure, temperatures, voltage,
 * flow at 1 Hz) for a fixed number of epochs, no early stop, and reads the process's resident set
 * after every epoch. Memory that training does not give back shows as a slope.
 *
 * <p>RSS is read as the process runs, without forcing a collection: what the operating system sees.
 */
public final class TrainMemoryBench {

    /** Sensor names of the synthetic recording, in model order. */
    public static final List<String> FEATURES = List.of("vibration1", "vibration2", "current", "pressure",
            "temperature", "thermocouple", "voltage", "flow");
    /** Period in samples of each sensor's slow cycle: unrelated, so the windows differ. */
    private static final int[] PERIODS = {37, 53, 71, 97, 113, 151, 199, 257};
    private static final double NOISE = 0.05;
    private static final long START_MS = 1_700_000_000_000L;

    private TrainMemoryBench() {
    }

    /**
     * @param epochs  epochs trained, all of them (patience = epochs)
     * @param devices synthetic devices, each one recording
     * @param samples samples per device
     * @param window  window length in samples
     * @param hop     samples between window starts
     * @param seed    noise and network seed
     */
    public record Settings(int epochs, int devices, int samples, int window, int hop, long seed) {
        public Settings {
            if (epochs < 1 || devices < 1 || window < 2 || hop < 1 || samples < 2 * window) {
                throw new IllegalArgumentException("epochs, devices and hop must be positive, window at least 2 and"
                        + " samples at least two windows; got epochs " + epochs + ", devices " + devices + ", samples "
                        + samples + ", window " + window + ", hop " + hop);
            }
        }
    }

    /** After one epoch ({@code epoch} 0: before training, after the data was made). */
    public record Sample(int epoch, double seconds, double trainLoss, double validationLoss, long rssBytes,
                         long heapUsedBytes) {
    }

    /**
     * @param trainWindows      windows trained per epoch
     * @param validationWindows windows scored per epoch for validation
     */
    public record Result(Settings settings, int trainWindows, int validationWindows, List<Sample> samples) {

        /** Least-squares RSS slope over epochs 2 .. n (epoch 1 holds the one-off warm-up), MB per epoch. */
        public double rssSlopeMbPerEpoch() {
            List<Sample> fit = samples.stream().filter(s -> s.epoch() >= 2).toList();
            if (fit.size() < 2) {
                return Double.NaN;
            }
            double mx = fit.stream().mapToDouble(Sample::epoch).average().orElseThrow();
            double my = fit.stream().mapToDouble(s -> mb(s.rssBytes())).average().orElseThrow();
            double sxy = 0;
            double sxx = 0;
            for (Sample s : fit) {
                sxy += (s.epoch() - mx) * (mb(s.rssBytes()) - my);
                sxx += (s.epoch() - mx) * (s.epoch() - mx);
            }
            return sxy / sxx;
        }

        public long maxRssBytes() {
            return samples.stream().mapToLong(Sample::rssBytes).max().orElse(-1);
        }
    }

    /** Trains and samples; {@code progress} gets one line per epoch. */
    public static Result run(Settings settings, Path tempDir, Consumer<String> progress) throws IOException {
        SensorKind kind = sensorKind(settings, tempDir);
        List<DeviceSeries> data = recording(settings);
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(0, 0, Double.NaN, Double.NaN, ProcessMemory.rss(), heapUsed()));
        progress.accept(String.format(Locale.ROOT, "before training: RSS %,.0f MB, heap used %,.0f MB",
                mb(samples.get(0).rssBytes()), mb(samples.get(0).heapUsedBytes())));
        long started = System.nanoTime();
        Trainer.Settings training = new Trainer.Settings("samediff", settings.epochs(), 64, 0.2, false,
                settings.epochs(), 0, ThresholdCalibration.DEFAULT_QUANTILE, ThresholdCalibration.DEFAULT_MARGIN,
                new AutoencoderSpec(FEATURES.size(), settings.window(), AutoencoderSpec.DEFAULT_HIDDEN,
                        AutoencoderSpec.DEFAULT_BOTTLENECK, AutoencoderSpec.DEFAULT_LEARNING_RATE, settings.seed()));
        var bundle = new Trainer(kind, training, report -> {
            Sample s = new Sample(report.epoch(), (System.nanoTime() - started) / 1e9, report.trainLoss(),
                    report.validationLoss(), ProcessMemory.rss(), heapUsed());
            samples.add(s);
            progress.accept(String.format(Locale.ROOT,
                    "epoch %3d/%d  RSS %,6.0f MB (%+,.0f since epoch 1)  heap used %,5.0f MB  loss %.5f  validation %.5f"
                            + "  %5.1f s  ETA %s",
                    s.epoch(), settings.epochs(), mb(s.rssBytes()),
                    mb(s.rssBytes()) - mb(samples.get(Math.min(1, samples.size() - 1)).rssBytes()),
                    mb(s.heapUsedBytes()), s.trainLoss(), s.validationLoss(), report.took().toMillis() / 1e3,
                    eta(report.eta())));
        }).train(data, List.of("synthetic"));
        return new Result(settings, bundle.metadata().training().trainWindows(),
                bundle.metadata().training().validationWindows(), List.copyOf(samples));
    }

    /** Writes {@code train-memory.csv} (the header lines first) and {@code train-memory.png} into {@code out}. */
    public static void write(Result result, List<String> header, String title, Path out) {
        try {
            Files.createDirectories(out);
            StringBuilder csv = new StringBuilder();
            header.forEach(line -> csv.append("# ").append(line).append('\n'));
            csv.append("epoch,seconds,train_loss,validation_loss,rss_bytes,heap_used_bytes\n");
            for (Sample s : result.samples()) {
                csv.append(String.format(Locale.ROOT, "%d,%.1f,%s,%s,%d,%d%n", s.epoch(), s.seconds(), loss(s.trainLoss()),
                        loss(s.validationLoss()), s.rssBytes(), s.heapUsedBytes()));
            }
            Files.writeString(out.resolve("train-memory.csv"), csv);
            double[] x = result.samples().stream().mapToDouble(Sample::epoch).toArray();
            Charts.lines(out.resolve("train-memory.png"), title, "epoch (0 = before training)", "MB", List.of(
                    new Charts.Line("process RSS", x, result.samples().stream().mapToDouble(s -> mb(s.rssBytes())).toArray()),
                    new Charts.Line("heap used", x,
                            result.samples().stream().mapToDouble(s -> mb(s.heapUsedBytes())).toArray())), false, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Eight slow cycles of unrelated periods with level, amplitude and noise per sensor; each
     * device starts at another phase.
     */
    static List<DeviceSeries> recording(Settings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        List<DeviceSeries> devices = new ArrayList<>();
        for (int d = 0; d < settings.devices(); d++) {
            long[] ts = new long[settings.samples()];
            double[][] values = new double[settings.samples()][FEATURES.size()];
            double phase = random.nextDouble(0, 2 * Math.PI);
            for (int i = 0; i < ts.length; i++) {
                ts[i] = START_MS + i * 1000L;
                for (int k = 0; k < FEATURES.size(); k++) {
                    double level = 10 * (k + 1);
                    double amplitude = 1 + k % 3;
                    values[i][k] = level + amplitude * Math.sin(2 * Math.PI * i / PERIODS[k] + phase * (k + 1))
                            + NOISE * amplitude * random.nextGaussian();
                }
            }
            devices.add(new DeviceSeries(String.format(Locale.ROOT, "pump-%02d", d), ts, values, null));
        }
        return devices;
    }

    /** The synthetic kind, read by the same loader as every topology file. */
    private static SensorKind sensorKind(Settings settings, Path tempDir) throws IOException {
        String fields = String.join(", ", FEATURES.stream().map(f -> f + ": " + f).toList());
        String yaml = String.join("\n",
                "kind: train-memory",
                "features: [" + String.join(", ", FEATURES) + "]",
                "sampleRateHz: 1",
                "window: " + settings.window(),
                "hop: " + settings.hop(),
                "payload:",
                "  timestamp: ts",
                "  fields: {" + fields + "}",
                "  samples: samples",
                "  rateHz: rateHz",
                "csv:",
                "  timestamp: ts",
                "  device: device",
                "  label: label",
                "model: target/train-memory.zip",
                "alert:",
                "  threshold: model",
                "  raiseAfter: 3",
                "  clearAfter: 12",
                "mqtt:",
                "  topicFilter: vigil/train-memory/+",
                "kafka:",
                "  readings: vigil.readings.train-memory",
                "  scores: vigil.scores.train-memory",
                "  alerts: vigil.alerts",
                "  deadLetter: vigil.deadletter",
                "");
        Path file = Files.createTempFile(tempDir, "train-memory-", ".yaml");
        try {
            Files.writeString(file, yaml);
            return SensorKindLoader.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String loss(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String eta(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static double mb(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
