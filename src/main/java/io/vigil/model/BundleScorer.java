package io.vigil.model;

import io.vigil.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores raw windows with a bundle: normalize with the bundle's normalizer, reconstruct in batches
 * of at most {@link #MAX_BATCH}, and measure the error. One engine call per batch, never per window.
 *
 * <p>Two engines compute the same scores ({@code LstmInferenceTest}): on the CPU backend a SameDiff
 * bundle is scored by {@link LstmInference}, the fastest path measured (docs/benchmarks.md), with its
 * input and error buffers reused from call to call; on the GPU backend, or for a layer-API bundle,
 * the network itself runs the batch. {@value #ENV}{@code =nd4j} forces the network path.
 */
public final class BundleScorer implements WindowScorer {

    /** Largest batch handed to an engine at once; larger lists are split. */
    public static final int MAX_BATCH = 512;

    /** Environment variable choosing the scoring engine: {@code auto} (default), {@code java} or {@code nd4j}. */
    public static final String ENV = "VIGIL_SCORING_ENGINE";

    private final ModelBundle bundle;
    private final LstmInference engine; // null: the network scores
    private float[] input = new float[0];
    private double[] sums = new double[0];

    BundleScorer(ModelBundle bundle) {
        this(bundle, System.getenv().getOrDefault(ENV, "auto"));
    }

    /** @param wanted {@code auto}, {@code java} or {@code nd4j}, as in {@link #ENV} */
    BundleScorer(ModelBundle bundle, String wanted) {
        this.bundle = bundle;
        this.engine = useJavaEngine(wanted, bundle) ? LstmInference.of(bundle.network()) : null;
    }

    static boolean useJavaEngine(String wanted, ModelBundle bundle) {
        boolean supported = bundle.network() instanceof SameDiffAutoencoder;
        return switch (wanted.toLowerCase(Locale.ROOT)) {
            case "auto" -> supported && !Backend.isGpu();
            case "java" -> {
                if (!supported) {
                    throw new ConfigException(ENV + "=java: the bundle's engine is '"
                            + bundle.metadata().engine() + "'; the Java engine scores samediff bundles only");
                }
                yield true;
            }
            case "nd4j" -> false;
            default -> throw new ConfigException(ENV + ": expected auto, java or nd4j, got '" + wanted
                    + "'");
        };
    }

    /** {@code java} or {@code nd4j}: which engine this scorer runs. */
    public String engine() {
        return engine != null ? "java" : "nd4j";
    }

    @Override
    public List<WindowScore> score(List<Window> windows) {
        List<WindowScore> scores = new ArrayList<>(windows.size());
        for (int from = 0; from < windows.size(); from += MAX_BATCH) {
            List<Window> chunk = windows.subList(from, Math.min(windows.size(), from + MAX_BATCH));
            if (engine != null) {
                scoreWithEngine(chunk, scores);
            } else {
                INDArray batch = Windows.batch(chunk, bundle.metadata().normalizer());
                scores.addAll(ReconstructionError.of(batch, bundle.network().reconstruct(batch)));
            }
        }
        return scores;
    }

    private void scoreWithEngine(List<Window> chunk, List<WindowScore> scores) {
        AutoencoderSpec spec = engine.spec();
        int size = spec.features() * spec.window();
        if (input.length < chunk.size() * size) {
            input = new float[MAX_BATCH * size];
            sums = new double[MAX_BATCH * spec.features()];
        }
        Windows.normalizeInto(chunk, bundle.metadata().normalizer(), input);
        engine.score(input, chunk.size(), sums, scores);
    }

    @Override
    public double threshold() {
        return bundle.metadata().threshold();
    }

    @Override
    public String modelVersion() {
        return bundle.metadata().version();
    }
}
