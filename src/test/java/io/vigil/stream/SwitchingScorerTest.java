package io.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Window;
import io.vigil.model.WindowScore;
import io.vigil.model.WindowScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The switching scorer takes the latest release at the start of a batch and scores the whole batch with it:
 * a release that arrives while a batch is scored waits for the next one, a release that does not load is
 * skipped once and the running model stays, and a re-published old bundle is a new release (roll-back).
 */
class SwitchingScorerTest {

    private final AtomicReference<ModelRelease> live = new AtomicReference<>();
    private final AtomicReference<ModelRelease> candidate = new AtomicReference<>();
    private final List<String> loads = new ArrayList<>();

    /** Scores every window with the model's number, so a score says which model produced it. */
    private record Versioned(String version, double value, Runnable whileScoring) implements WindowScorer {
        @Override
        public List<WindowScore> score(List<Window> windows) {
            List<WindowScore> scores = new ArrayList<>();
            for (Window ignored : windows) {
                whileScoring.run(); // a release may land while a batch is scored
                scores.add(new WindowScore(value, new double[] {1}));
            }
            return scores;
        }

        @Override
        public double threshold() {
            return value + 0.5;
        }

        @Override
        public String modelVersion() {
            return version;
        }
    }

    private final Function<ModelRelease, WindowScorer> load = release -> {
        loads.add(release.version());
        if (release.version().startsWith("corrupt")) {
            throw new IllegalArgumentException("weights.bin is corrupt");
        }
        return new Versioned(release.version(), release.version().equals("B") ? 2 : 1, () -> { });
    };

    private static List<Window> windows(int n) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            windows.add(new Window(i * 10L, i * 10L + 9, new float[][] {{0f}}));
        }
        return windows;
    }

    private static List<Double> values(List<WindowScore> scores) {
        return scores.stream().map(WindowScore::score).toList();
    }

    @Test
    void aReleasePublishedWhileABatchIsScoredTakesOverAtTheNextBatch() {
        // given model A, and release B landing while A scores its first batch
        Versioned a = new Versioned("A", 1, () -> live.set(new ModelRelease(7, "B", new byte[0])));
        SwitchingScorer scorer = new SwitchingScorer("vibration", a, live::get, candidate::get, load);

        // when two batches are scored
        List<WindowScore> first = scorer.score(windows(4));
        String firstVersion = scorer.modelVersion();
        double firstThreshold = scorer.threshold();
        List<WindowScore> second = scorer.score(windows(4));

        // then the first batch is A's whole, the second B's whole, and version and threshold follow the batch
        assertThat(values(first)).containsExactly(1.0, 1.0, 1.0, 1.0);
        assertThat(firstVersion).isEqualTo("A");
        assertThat(firstThreshold).isEqualTo(1.5);
        assertThat(values(second)).containsExactly(2.0, 2.0, 2.0, 2.0);
        assertThat(scorer.modelVersion()).isEqualTo("B");
        assertThat(scorer.threshold()).isEqualTo(2.5);
        assertThat(loads).containsExactly("B");
    }

    @Test
    void aReleaseThatDoesNotLoadIsSkippedOnceAndTheRunningModelStays() {
        // given model A running
        SwitchingScorer scorer = new SwitchingScorer("vibration", new Versioned("A", 1, () -> { }), live::get,
                candidate::get, load);
        scorer.score(windows(1));

        // when a release that cannot be loaded arrives, and three batches are scored
        live.set(new ModelRelease(3, "corrupt-1", new byte[0]));
        List<WindowScore> scores = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            scores.addAll(scorer.score(windows(2)));
        }

        // then A scores them all, and the release was tried once, not once per batch
        assertThat(values(scores)).containsExactly(1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        assertThat(scorer.modelVersion()).isEqualTo("A");
        assertThat(loads).containsExactly("corrupt-1");
    }

    @Test
    void publishingThePreviousBundleAgainRollsBack() {
        // given A, then B published
        SwitchingScorer scorer = new SwitchingScorer("vibration", new Versioned("A", 1, () -> { }), live::get,
                candidate::get, load);
        live.set(new ModelRelease(1, "B", new byte[0]));
        List<String> versions = new ArrayList<>();
        scorer.score(windows(1));
        versions.add(scorer.modelVersion());

        // when A is published again (a new offset)
        live.set(new ModelRelease(2, "A", new byte[0]));
        scorer.score(windows(1));
        versions.add(scorer.modelVersion());
        scorer.score(windows(1));
        versions.add(scorer.modelVersion());

        // then the scorer went B, then back to A, loading each release once
        assertThat(versions).containsExactly("B", "A", "A");
        assertThat(loads).containsExactly("B", "A");
    }

    @Test
    void aShadowCandidateJoinsAndLeavesBetweenBatches() {
        // given A running and no candidate
        SwitchingScorer scorer = new SwitchingScorer("vibration", new Versioned("A", 1, () -> { }), live::get,
                candidate::get, load);
        scorer.score(windows(1));
        WindowScorer before = scorer.shadow();

        // when B is published in shadow, then the shadow ends
        candidate.set(new ModelRelease(5, "B", new byte[0]));
        scorer.score(windows(1));
        WindowScorer during = scorer.shadow();
        String liveDuring = scorer.modelVersion();
        candidate.set(null);
        scorer.score(windows(1));

        // then B shadows one batch while A stays live
        assertThat(before).isNull();
        assertThat(during.modelVersion()).isEqualTo("B");
        assertThat(liveDuring).isEqualTo("A");
        assertThat(scorer.shadow()).isNull();
    }
}
