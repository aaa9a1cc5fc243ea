package io.vigil.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hook a replay calls as it plays recorded history (for instance one Backblaze file per day)
 * back as a live stream: how far it has got, in files and in recorded time. One instance per
 * replayed {@code source} (a short, fixed name such as {@code backblaze}), so the series stay few.
 *
 * <pre>{@code
 * ReplayProgress progress = ReplayProgress.start(registry, "backblaze", days.size());
 * for (Path day : days) {
 *     long records = publish(day);
 *     progress.unitDone(records, dayEndMs);
 * }
 * }</pre>
 */
public final class ReplayProgress {

    /** Gauge: files (days) the replay will play in all (not "total": Prometheus keeps that suffix for counters). */
    public static final String UNITS_PLANNED = "vigil.replay.units.planned";
    /** Gauge: files (days) played so far. */
    public static final String UNITS_PLAYED = "vigil.replay.units.played";
    /** Counter: records published by the replay. */
    public static final String RECORDS = "vigil.replay.records";
    /** Gauge: recorded time the replay has reached, epoch seconds. */
    public static final String POSITION = "vigil.replay.position.seconds";
    public static final String TAG_SOURCE = "source";

    private final AtomicLong unitsDone = new AtomicLong();
    private final AtomicLong positionSeconds = new AtomicLong();
    private final Counter records;

    private ReplayProgress(MeterRegistry registry, String source, long unitsTotal) {
        Tags tags = Tags.of(TAG_SOURCE, source);
        // strong references: the last values stay scrapeable after the replay has let go of this object
        Gauge.builder(UNITS_PLANNED, () -> unitsTotal).tags(tags).strongReference(true).register(registry);
        Gauge.builder(UNITS_PLAYED, unitsDone, AtomicLong::get).tags(tags).strongReference(true).register(registry);
        Gauge.builder(POSITION, positionSeconds, AtomicLong::get).tags(tags).strongReference(true).register(registry);
        this.records = registry.counter(RECORDS, tags);
    }

    /** A replay of {@code unitsTotal} files from {@code source} starts. */
    public static ReplayProgress start(MeterRegistry registry, String source, long unitsTotal) {
        return new ReplayProgress(registry, source, unitsTotal);
    }

    /** One more file played: {@code records} published, recorded time now at {@code recordedMs}. */
    public void unitDone(long recordCount, long recordedMs) {
        recordsPublished(recordCount, recordedMs);
        unitsDone.incrementAndGet();
    }

    /** Within a file: {@code records} more published, recorded time now at {@code recordedMs}. */
    public void recordsPublished(long recordCount, long recordedMs) {
        records.increment(recordCount);
        positionSeconds.set(recordedMs / 1000);
    }

    public long unitsDone() {
        return unitsDone.get();
    }
}
