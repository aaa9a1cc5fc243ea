package io.vigil.demo;

import io.vigil.stream.AlertEvent;
import io.vigil.stream.ScoreEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The latest known state of every device, folded from score and alert events: what a reliability
 * engineer's board shows (score against threshold, NORMAL or ALERT, since when). Thread-safe.
 */
public final class DeviceBoard implements EventTail.Listener {

    public enum Status { NORMAL, ALERT }

    /**
     * One device.
     *
     * @param windowEnd  end of the latest scored window, epoch ms (sensor time)
     * @param sinceMs    sensor time the current status began: first window seen, the alert's first
     *                   over-threshold window, or the end of the last one when it cleared
     * @param severity   of the open alert, null when NORMAL
     * @param worstAxis  feature with the largest share of the open alert's error, null when NORMAL
     * @param axisShare  that feature's share, 0..1
     */
    public record Row(String deviceId, double score, double threshold, long windowEnd, Status status, long sinceMs,
                      AlertEvent.Severity severity, String worstAxis, double axisShare) {

        public double ratio() {
            return threshold > 0 ? score / threshold : Double.NaN;
        }
    }

    private final Map<String, Row> rows = new ConcurrentSkipListMap<>();

    @Override
    public void score(ScoreEvent e, long receivedMs) {
        rows.compute(e.deviceId(), (id, old) -> old == null
                ? new Row(id, e.score(), e.threshold(), e.windowEnd(), Status.NORMAL, e.windowStart(), null, null, 0)
                : new Row(id, e.score(), e.threshold(), e.windowEnd(), old.status(), old.sinceMs(), old.severity(),
                        old.worstAxis(), old.axisShare()));
    }

    @Override
    public void alert(AlertEvent e) {
        rows.compute(e.deviceId(), (id, old) -> {
            double score = old == null ? e.peakScore() : old.score();
            long windowEnd = old == null ? e.lastWindowEnd() : old.windowEnd();
            if (e.state() == AlertEvent.State.CLEARED) {
                return new Row(id, score, e.threshold(), windowEnd, Status.NORMAL, e.lastWindowEnd(), null, null, 0);
            }
            Map.Entry<String, Double> worst = worstAxis(e.featureShare());
            return new Row(id, score, e.threshold(), windowEnd, Status.ALERT, e.firstWindowStart(), e.severity(),
                    worst == null ? null : worst.getKey(), worst == null ? 0 : worst.getValue());
        });
    }

    /** Devices in id order. */
    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    public long alerting() {
        return rows.values().stream().filter(r -> r.status() == Status.ALERT).count();
    }

    /** The feature with the largest share of the error; null when none. */
    static Map.Entry<String, Double> worstAxis(Map<String, Double> shares) {
        if (shares == null) {
            return null;
        }
        return shares.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
    }
}
