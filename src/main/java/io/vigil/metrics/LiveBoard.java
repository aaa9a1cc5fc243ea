package io.vigil.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest state of each device (score, threshold, alert) and the most recent alert events: what
 * the bearing dashboard and the live page show. Fed by the detector's fleet view ({@code stream.FleetView},
 * every device of the scores and alerts topics) or, without one, by its own stream threads; read by the
 * metrics server's threads.
 *
 * <p><b>Cardinality cap.</b> Only the first {@code deviceCap} devices seen get their own series
 * ({@link #DEVICE_SCORE}, {@link #DEVICE_THRESHOLD}, {@link #DEVICE_ALERT}, {@link #DEVICE_LAST_SCORED},
 * tagged {@code kind} and {@code device}) and a row on the live page; later devices are counted in
 * {@link #DEVICES_OVER_CAP} and are still scored, alerted and counted in every per-kind meter. Four series
 * per device keep a fleet of {@value #DEFAULT_DEVICE_CAP} devices at 800 series; raise the cap with
 * {@code --device-series-cap} when Prometheus can take it. A tracked device stays tracked until the
 * process ends.
 */
public final class LiveBoard {

    /** Gauge: the reconstruction error of the device's latest scored window. */
    public static final String DEVICE_SCORE = "vigil.device.score";
    /** Gauge: the threshold the device's latest window was judged against. */
    public static final String DEVICE_THRESHOLD = "vigil.device.threshold";
    /** Gauge: 1 while the device is in an alert episode, else 0. */
    public static final String DEVICE_ALERT = "vigil.device.alert";
    /**
     * Gauge, Unix time in seconds: when the device's latest window was scored (wall clock; NaN until one
     * is), so an alert rule sees a device that used to report fall silent.
     */
    public static final String DEVICE_LAST_SCORED = "vigil.device.last.scored.timestamp";
    /** Gauge: devices seen beyond the cap, which have no per-device series. */
    public static final String DEVICES_OVER_CAP = "vigil.device.overcap";
    public static final String TAG_KIND = "kind";
    public static final String TAG_DEVICE = "device";

    /** Devices with per-device series by default. */
    public static final int DEFAULT_DEVICE_CAP = 200;
    /** Alert events kept for the live page. */
    public static final int RECENT_ALERTS = 50;

    /** One device's latest state; {@code alertSinceMs} is 0 when not in alert. */
    public record DeviceState(String kind, String device, double score, double threshold, boolean alert,
                              long alertSinceMs, long windowEndMs, long updatedMs) {
    }

    /** A raised or cleared alert, as the live page lists it. */
    public record AlertNote(String kind, String device, String alertId, String state, String severity,
                            double peakScore, double threshold, long atMs) {
    }

    private final MeterRegistry registry; // null for a discarding board
    private final int deviceCap;
    private final Map<Key, DeviceState> devices = new ConcurrentHashMap<>();
    private final AtomicLong overCap = new AtomicLong();
    private final Map<Key, Boolean> overCapSeen = new ConcurrentHashMap<>();
    private final Deque<AlertNote> recentAlerts = new ArrayDeque<>();

    private record Key(String kind, String device) {
    }

    public LiveBoard(MeterRegistry registry, int deviceCap) {
        if (deviceCap < 0) {
            throw new IllegalArgumentException("device cap must be 0 or more, got " + deviceCap);
        }
        this.registry = registry;
        this.deviceCap = deviceCap;
        registry.gauge(DEVICES_OVER_CAP, overCap);
    }

    private LiveBoard() {
        this.registry = null;
        this.deviceCap = 0;
    }

    /**
     * A board that keeps and registers nothing: what a detector's own processors feed when its page and
     * gauges come from the scores and alerts topics instead ({@code stream.FleetView}).
     */
    public static LiveBoard discarding() {
        return new LiveBoard();
    }

    public int deviceCap() {
        return deviceCap;
    }

    /** A window of {@code device} was scored. */
    public void scored(String kind, String device, double score, double threshold, long windowEndMs, long nowMs) {
        if (registry == null) {
            return;
        }
        Key key = new Key(kind, device);
        DeviceState before = devices.get(key);
        if (before == null && !track(key)) {
            return;
        }
        boolean alert = before != null && before.alert();
        long since = before != null ? before.alertSinceMs() : 0;
        devices.put(key, new DeviceState(kind, device, score, threshold, alert, since, windowEndMs, nowMs));
    }

    /** {@code device} entered ({@code raised}) or left an alert episode. */
    public void alert(String kind, String device, boolean raised, AlertNote note) {
        if (registry == null) {
            return;
        }
        synchronized (recentAlerts) {
            recentAlerts.addFirst(note);
            while (recentAlerts.size() > RECENT_ALERTS) {
                recentAlerts.removeLast();
            }
        }
        Key key = new Key(kind, device);
        if (!devices.containsKey(key) && !track(key)) {
            return;
        }
        devices.compute(key, (k, s) -> s == null
                ? new DeviceState(kind, device, Double.NaN, note.threshold(), raised, raised ? note.atMs() : 0, 0,
                note.atMs())
                : new DeviceState(kind, device, s.score(), s.threshold(), raised, raised ? note.atMs() : 0,
                s.windowEndMs(), s.updatedMs()));
    }

    /**
     * Sets {@code device}'s alert state without an alert event: an open episode restored from the
     * detector's alert store ({@code sinceMs}: when it began), or one handed over with its stream task
     * to another instance ({@code alert} false).
     */
    public void alertState(String kind, String device, boolean alert, long sinceMs) {
        if (registry == null) {
            return;
        }
        Key key = new Key(kind, device);
        if (!devices.containsKey(key) && (!alert || !track(key))) {
            return;
        }
        devices.computeIfPresent(key, (k, s) -> new DeviceState(kind, device, s.score(), s.threshold(), alert,
                alert ? sinceMs : 0, s.windowEndMs(), s.updatedMs()));
    }

    /** Tracked devices, by kind then id. */
    public List<DeviceState> devices() {
        List<DeviceState> all = new ArrayList<>(devices.values());
        all.sort(Comparator.comparing(DeviceState::kind).thenComparing(DeviceState::device));
        return all;
    }

    /** Latest alert events first, at most {@value #RECENT_ALERTS}. */
    public List<AlertNote> recentAlerts() {
        synchronized (recentAlerts) {
            return List.copyOf(recentAlerts);
        }
    }

    public long devicesOverCap() {
        return overCap.get();
    }

    /** 0, never scored here (a restored episode's row), reads as NaN, which no rule's comparison finds true. */
    private static double lastScoredSeconds(DeviceState state) {
        return state.updatedMs() > 0 ? state.updatedMs() / 1000.0 : Double.NaN;
    }

    /** Registers the device's series if the cap allows; false when it does not. */
    private synchronized boolean track(Key key) {
        if (devices.containsKey(key)) {
            return true;
        }
        if (devices.size() >= deviceCap) {
            if (overCapSeen.size() < 100_000 && overCapSeen.putIfAbsent(key, Boolean.TRUE) == null) {
                overCap.incrementAndGet();
            }
            return false;
        }
        devices.put(key, new DeviceState(key.kind(), key.device(), Double.NaN, Double.NaN, false, 0, 0, 0));
        Tags tags = Tags.of(TAG_KIND, key.kind(), TAG_DEVICE, key.device());
        Gauge.builder(DEVICE_SCORE, () -> devices.get(key).score()).tags(tags)
                .description("reconstruction error of the device's latest window").register(registry);
        Gauge.builder(DEVICE_THRESHOLD, () -> devices.get(key).threshold()).tags(tags)
                .description("threshold of the device's latest window").register(registry);
        Gauge.builder(DEVICE_ALERT, () -> devices.get(key).alert() ? 1 : 0).tags(tags)
                .description("1 while the device is in an alert episode").register(registry);
        Gauge.builder(DEVICE_LAST_SCORED, () -> lastScoredSeconds(devices.get(key))).tags(tags).baseUnit("seconds")
                .description("Unix time the device's latest window was scored").register(registry);
        return true;
    }
}
