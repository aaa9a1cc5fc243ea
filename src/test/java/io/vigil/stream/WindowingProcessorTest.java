package io.vigil.stream;

import static io.vigil.stream.Fixtures.batch;
import static io.vigil.stream.Fixtures.expectedScore;
import static io.vigil.stream.Fixtures.ramp;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.model.Window;
import io.vigil.model.Windower;
import io.vigil.model.Windows;
import io.vigil.reading.DeviceSeries;
import io.vigil.reading.SampleBatch;
import io.vigil.reading.SampleBatchSerde;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.Spectrum;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The windowing processor alone: hop, micro-batch flushes, and the pending-window store. */
class WindowingProcessorTest {

    private static final DetectorTopology.Names NAMES = new DetectorTopology.Names(Fixtures.KIND);
    private static final Duration FLUSH = Duration.ofMillis(50);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeanAbsScorer scorer = new MeanAbsScorer(Fixtures.THRESHOLD);
    private KeyValueStore<String, byte[]> windowStore;
    private KeyValueStore<String, byte[]> pendingStore;

    @BeforeEach
    void stores() {
        windowStore = store(NAMES.windowStore());
        pendingStore = store(NAMES.pendingStore());
    }

    @Test
    void scoresEveryWindowAtTheHopWhenTheBatchIsFull() {
        // given: batches of 3 windows; 12 samples make windows starting at 0, 2, 4, 6, 8
        MockProcessorContext<String, Object> context = context();
        WindowingProcessor processor = processor(3, context);
        double[][] samples = ramp(12);

        // when
        processor.process(reading("pump-1", batch(0, samples)));

        // then: one full batch scored, the other two windows wait for the punctuation
        assertThat(scoresForwarded(context)).isEqualTo(List.of(
                expectedScore("pump-1", samples, 0),
                expectedScore("pump-1", samples, 2),
                expectedScore("pump-1", samples, 4)));
        assertThat(scorer.batchSizes()).isEqualTo(List.of(3));
        assertThat(pendingStore.approximateNumEntries()).isEqualTo(2);
    }

    @Test
    void punctuationScoresAPartialBatchAcrossDevicesInOneCall() {
        // given: two devices, five windows in all, far from a full batch
        MockProcessorContext<String, Object> context = context();
        WindowingProcessor processor = processor(256, context);
        double[][] samples = ramp(8);
        processor.process(reading("pump-1", batch(0, samples)));
        processor.process(reading("pump-2", batch(0, Arrays.copyOf(samples, 6))));
        assertThat(context.forwarded()).isEmpty();

        // when: the wall-clock punctuation fires
        CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
        punctuator.getPunctuator().punctuate(Fixtures.T0);

        // then: one model call for all five windows, each score to the scores sink and to alerting
        assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(punctuator.getInterval()).isEqualTo(FLUSH);
        List<ScoreEvent> expected = List.of(
                expectedScore("pump-1", samples, 0),
                expectedScore("pump-1", samples, 2),
                expectedScore("pump-1", samples, 4),
                expectedScore("pump-2", samples, 0),
                expectedScore("pump-2", samples, 2));
        assertThat(scoresForwarded(context)).isEqualTo(expected);
        assertThat(context.forwarded(NAMES.alerting()).stream().map(f -> f.record().value()).toList())
                .isEqualTo(expected);
        assertThat(scorer.batchSizes()).isEqualTo(List.of(5));
        assertThat(pendingStore.approximateNumEntries()).isZero();
        assertThat(registry.get(DetectorMetrics.WINDOWS_SCORED).counter().count()).isEqualTo(5);
        assertThat(registry.get(DetectorMetrics.BATCH_SIZE).summary().count()).isEqualTo(1);
        assertThat(registry.get(DetectorMetrics.SCORING_LATENCY).timer().count()).isEqualTo(1);
    }

    @Test
    void anEmptyBatchCallsNoModel() {
        // given
        MockProcessorContext<String, Object> context = context();
        processor(256, context);

        // when
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(Fixtures.T0);

        // then
        assertThat(scorer.batchSizes()).isEmpty();
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void windowsCutBeforeACrashAreScoredByTheNextInstance() {
        // given: a processor cuts three windows and dies before its flush; what it committed to its
        // stores is what the changelog restores
        WindowingProcessor crashed = processor(256, context());
        double[][] samples = ramp(8);
        crashed.process(reading("pump-1", batch(0, samples)));

        // when: a new instance starts on the restored stores and its punctuation fires
        MockProcessorContext<String, Object> restarted = context();
        processor(256, restarted);
        restarted.scheduledPunctuators().get(0).getPunctuator().punctuate(Fixtures.T0);

        // then: every window cut before the crash is scored exactly once
        assertThat(scoresForwarded(restarted)).isEqualTo(List.of(
                expectedScore("pump-1", samples, 0),
                expectedScore("pump-1", samples, 2),
                expectedScore("pump-1", samples, 4)));
        assertThat(pendingStore.approximateNumEntries()).isZero();
    }

    @Test
    void duplicateAndLateSamplesAreDroppedAndCounted() {
        // given
        MockProcessorContext<String, Object> context = context();
        WindowingProcessor processor = processor(256, context);
        double[][] samples = ramp(4);
        processor.process(reading("pump-1", batch(0, Arrays.copyOf(samples, 2))));

        // when: sample 1 again (duplicate), sample 0 again (late), then the rest
        processor.process(reading("pump-1", new SampleBatch(Fixtures.ts(0), 10, new double[][] {{9, 9, 9}, {9, 9, 9}})));
        processor.process(reading("pump-1", batch(2, Arrays.copyOfRange(samples, 2, 4))));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(Fixtures.T0);

        // then: the window holds only the original samples
        assertThat(scoresForwarded(context)).isEqualTo(List.of(expectedScore("pump-1", samples, 0)));
        assertThat(registry.get(DetectorMetrics.SAMPLES_DROPPED).tag(DetectorMetrics.TAG_REASON, "late")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(DetectorMetrics.SAMPLES_DROPPED).tag(DetectorMetrics.TAG_REASON, "duplicate")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aSpectrumFrontEndInTheStreamCutsExactlyTheWindowsOfflineCuttingDoesAcrossBatchesAndARestart() {
        // given: frames of 16 samples every 8, windows of 4 frames every 2; 200 samples sent in uneven batches,
        // the processor replaced by a new instance on the same stores halfway (state only in the stores)
        SensorKind kind = Fixtures.withFrontEnd(new Spectrum(100, 16, 8, 2, 10, 50, 1, 20, 45, 12.5));
        double[][] samples = new double[200][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = new double[] {Math.sin(i * 0.9), Math.cos(i * 0.4) * (1 + i % 7), (i * 37 % 11) / 11.0};
        }
        MockProcessorContext<String, Object> first = context();
        WindowingProcessor processor = processor(kind, first);
        int[] cuts = {0, 5, 23, 24, 90, 101, 150, 200};
        for (int c = 0; c + 1 < cuts.length; c++) {
            if (c == 4) {
                first.scheduledPunctuators().get(0).getPunctuator().punctuate(Fixtures.T0);
                processor.close();
                processor = processor(kind, context());
            }
            processor.process(reading("pump-1", batch(cuts[c], Arrays.copyOfRange(samples, cuts[c], cuts[c + 1]))));
        }
        MockProcessorContext<String, Object> second = context();
        processor = processor(kind, second);
        second.scheduledPunctuators().get(0).getPunctuator().punctuate(Fixtures.T0);

        // when: the same samples cut offline
        long[] ts = new long[samples.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Fixtures.ts(i);
        }
        List<Window> offline = Windows.cut(new DeviceSeries("pump-1", ts, samples, null), Windower.Shape.of(kind));

        // then: every offline window, once, in order, with its score, named by the front-end's model features
        List<ScoreEvent> streamed = new ArrayList<>();
        for (MockProcessorContext<String, Object> c : List.of(first, second)) {
            c.forwarded(NAMES.scoresSink()).forEach(f -> streamed.add((ScoreEvent) f.record().value()));
        }
        assertThat(offline).hasSize(11); // 1 + (200 - 16) / 8 = 24 frames; windows at frames 4, 6, ..., 24
        assertThat(streamed).extracting(e -> List.<Object>of(e.windowStart(), e.windowEnd(), e.score()))
                .isEqualTo(offline.stream().map(w -> List.<Object>of(w.startMs(), w.endMs(),
                        MeanAbsScorer.scoreOne(w).score())).toList());
        assertThat(streamed.get(0).featureShare().keySet()).containsExactlyElementsOf(kind.modelFeatures());
    }

    private WindowingProcessor processor(int batchSize, MockProcessorContext<String, Object> context) {
        var settings = new DetectorSettings(batchSize, FLUSH, registry);
        var processor = new WindowingProcessor(Fixtures.vibration(), () -> scorer, settings,
                new DetectorMetrics(registry).forKind(Fixtures.KIND));
        processor.init(context);
        return processor;
    }

    private WindowingProcessor processor(SensorKind kind, MockProcessorContext<String, Object> context) {
        var processor = new WindowingProcessor(kind, () -> scorer, new DetectorSettings(256, FLUSH, registry),
                new DetectorMetrics(registry).forKind(Fixtures.KIND));
        processor.init(context);
        return processor;
    }

    private MockProcessorContext<String, Object> context() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.addStateStore(windowStore);
        context.addStateStore(pendingStore);
        return context;
    }

    private KeyValueStore<String, byte[]> store(String name) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    private static Record<String, byte[]> reading(String device, SampleBatch batch) {
        return new Record<>(device, new SampleBatchSerde().serializer().serialize("readings", batch), batch.ts());
    }

    private static List<Object> scoresForwarded(MockProcessorContext<String, Object> context) {
        return context.forwarded(NAMES.scoresSink()).stream().map(f -> (Object) f.record().value()).toList();
    }
}
