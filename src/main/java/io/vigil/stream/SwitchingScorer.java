package io.vigil.stream;

import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring task's scorer that follows the models topic: at the start of each batch it takes the
 * latest release (and shadow candidate) {@link ModelFeed} accepted, then scores the whole batch with
 * that one model. A switch therefore happens between two batches, never within one, and
 * {@link #modelVersion()} and {@link #threshold()} name the model that scored the last batch. A release
 * this task cannot load is skipped with one WARN line; the running model stays.
 */
public final class SwitchingScorer implements WindowScorer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchingScorer.class);

    private final String kind;
    private final Supplier<ModelRelease> live;
    private final Supplier<ModelRelease> candidate;
    private final Function<ModelRelease, WindowScorer> load;
    private WindowScorer current;
    private long currentOffset = -1; // -1: the bundle the detector started with
    private WindowScorer shadow;
    private long shadowOffset = -1;

    /**
     * @param initial   the scorer of the bundle the detector started with
     * @param live      the latest accepted release of the kind, or null
     * @param candidate the kind's shadow candidate, or null for none
     * @param load      a fresh scorer (own network) for a release
     */
    public SwitchingScorer(String kind, WindowScorer initial, Supplier<ModelRelease> live,
                           Supplier<ModelRelease> candidate, Function<ModelRelease, WindowScorer> load) {
        this.kind = kind;
        this.current = initial;
        this.live = live;
        this.candidate = candidate;
        this.load = load;
    }

    @Override
    public List<WindowScore> score(List<Window> windows) {
        switchToLatest();
        return current.score(windows);
    }

    /** The shadow candidate for the batch last scored, or null: it scores the same windows, never alerts. */
    @Override
    public WindowScorer shadow() {
        return shadow;
    }

    @Override
    public double threshold() {
        return current.threshold();
    }

    @Override
    public String modelVersion() {
        return current.modelVersion();
    }

    private void switchToLatest() {
        ModelRelease release = live.get();
        if (release != null && release.offset() != currentOffset) {
            currentOffset = release.offset(); // tried once: a release that fails here is not retried every batch
            WindowScorer next = tryLoad(release);
            if (next != null) {
                LOG.info("kind {}: switching from model {} to {} between two batches", kind,
                        current.modelVersion(), next.modelVersion());
                closeQuietly(current);
                current = next;
            }
        }
        ModelRelease wanted = candidate.get();
        long wantedOffset = wanted == null ? -1 : wanted.offset();
        if (wantedOffset != shadowOffset) {
            shadowOffset = wantedOffset;
            closeQuietly(shadow);
            shadow = wanted == null ? null : tryLoad(wanted);
        }
    }

    private WindowScorer tryLoad(ModelRelease release) {
        try {
            return load.apply(release);
        } catch (RuntimeException e) {
            LOG.warn("kind {}: cannot load model {} from the models topic, keeping {}: {}", kind, release.version(),
                    current.modelVersion(), e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(WindowScorer scorer) {
        if (scorer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing a scorer failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(current);
        closeQuietly(shadow);
    }
}
