package io.vigil.bench;

import io.vigil.model.Autoencoder;
import io.vigil.model.AutoencoderSpec;
import io.vigil.model.LstmInference;
import io.vigil.model.ModelBundle;
import io.vigil.model.Normalizer;
import io.vigil.model.ReconstructionError;
import io.vigil.model.Window;
import io.vigil.model.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures scoring throughput and training time of the autoencoder engines on the same windows in
 * the same run, so the numbers compare like for like.
 */
public final class ModelBench {

    /** One scoring measurement. */
    public record ScoringResult(String engine, int batch, int calls, double windowsPerSecond, double msPerCall) {
    }

    /** One training measurement: seconds for one epoch over {@code windows}. */
    public record TrainingResult(String engine, int windows, int batch, double secondsPerEpoch) {
    }

    private final List<Window> windows;
    private final Normalizer normalizer;
    private final AutoencoderSpec spec;

    public ModelBench(List<Window> windows, AutoencoderSpec spec) {
        this.windows = windows;
        this.normalizer = Normalizer.fit(windows);
        this.spec = spec;
    }

    /** Engines {@link #scoring} measures: the two networks, and the Java engine over the SameDiff graph. */
    public static final List<String> SCORING_ENGINES = List.of("java", "samediff", "layers");

    /** Engines that train. */
    public static final List<String> TRAINING_ENGINES = List.of("samediff", "layers");

    /**
     * Scores batches of {@code batch} windows for about {@code seconds} after a warm-up: normalized
     * input in, per-window scores out, as the detector calls it.
     */
    public ScoringResult scoring(String engine, int batch, double seconds) {
        Runnable call = scoringCall(engine, batch);
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int calls = 0;
        do {
            call.run();
            calls++;
        } while (System.nanoTime() < deadline);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new ScoringResult(engine, batch, calls, calls * (double) batch / elapsed, elapsed * 1000 / calls);
    }

    private Runnable scoringCall(String engine, int batch) {
        INDArray input = Windows.batch(sample(batch), normalizer);
        if (!engine.equals("java")) {
            Autoencoder network = ModelBundle.newNetwork(engine, spec);
            return () -> ReconstructionError.of(input, network.reconstruct(input));
        }
        LstmInference inference = LstmInference.of(ModelBundle.newNetwork("samediff", spec));
        float[] data = input.dup('c').data().asFloat();
        double[] sums = new double[batch * spec.features()];
        return () -> inference.score(data, batch, sums, new ArrayList<>(batch));
    }

    /** One training epoch over {@code count} windows in mini-batches of {@code batch}. */
    public TrainingResult training(String engine, int count, int batch, Consumer<String> progress) {
        Autoencoder network = ModelBundle.newNetwork(engine, spec);
        List<Window> epoch = sample(count);
        network.fitBatch(Windows.batch(epoch.subList(0, Math.min(batch, epoch.size())), normalizer)); // warm-up
        long start = System.nanoTime();
        for (int from = 0; from < epoch.size(); from += batch) {
            network.fitBatch(Windows.batch(epoch.subList(from, Math.min(epoch.size(), from + batch)), normalizer));
            if ((from / batch) % 10 == 9) {
                progress.accept(engine + " training: " + (from + batch) + "/" + epoch.size() + " windows");
            }
        }
        return new TrainingResult(engine, epoch.size(), batch, (System.nanoTime() - start) / 1e9);
    }

    private List<Window> sample(int count) {
        Random random = new Random(42);
        List<Window> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(windows.get(random.nextInt(windows.size())));
        }
        return out;
    }
}
