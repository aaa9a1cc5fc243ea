package io.vigil.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * One process's metrics: the Prometheus registry with the JVM binders bound, and, in processes that
 * score devices, the {@link LiveBoard} behind the per-device series and the live page. Every
 * long-running command creates one, hands {@link #registry()} to its components, and serves it with
 * {@link MetricsServer}.
 */
public final class Telemetry implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LiveBoard board; // null where nothing scores devices
    private final List<AutoCloseable> binders = new ArrayList<>();

    private Telemetry(Integer deviceCap) {
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ClassLoaderMetrics());
        bind(new ProcessorMetrics());
        bind(new UptimeMetrics());
        this.board = deviceCap == null ? null : new LiveBoard(registry, deviceCap);
    }

    /** A registry with the JVM binders and a device board of {@code deviceCap} devices. */
    public static Telemetry create(int deviceCap) {
        return new Telemetry(deviceCap);
    }

    public static Telemetry create() {
        return create(LiveBoard.DEFAULT_DEVICE_CAP);
    }

    /**
     * A registry with the JVM binders and no device board, for processes that score nothing (bridge,
     * simulator): their server has no live page, only a pointer to the detector's.
     */
    public static Telemetry withoutLivePage() {
        return new Telemetry(null);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public boolean hasLivePage() {
        return board != null;
    }

    /** @throws IllegalStateException for a {@link #withoutLivePage()} telemetry */
    public LiveBoard board() {
        if (board == null) {
            throw new IllegalStateException("this process has no live board (Telemetry.withoutLivePage)");
        }
        return board;
    }

    private void bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            binders.add(closeable);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // a binder that fails to unbind leaves stale meters in a registry that is going away
            }
        }
        registry.close();
    }
}
