package io.vigil.stream;

import io.vigil.kind.SensorKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each device's stream of score events into alert episodes following the kind's alert policy
 * ({@link AlertState#next}): one RAISED and one CLEARED event per episode. The per-device state
 * lives in a changelogged store, so an episode survives restarts.
 */
public final class AlertProcessor implements Processor<String, ScoreEvent, String, AlertEvent> {

    private final SensorKind kind;
    private final DetectorTopology.Names names;
    private final DetectorMetrics.Kind meters;

    private ProcessorContext<String, AlertEvent> context;
    private KeyValueStore<String, AlertState> states;
    private String task;

    public AlertProcessor(SensorKind kind, DetectorMetrics.Kind meters) {
        this.kind = kind;
        this.names = new DetectorTopology.Names(kind.name());
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        this.context = context;
        this.states = context.getStateStore(names.alertStore());
        this.task = context.taskId().toString();
        adoptOpenEpisodes();
    }

    @Override
    public void process(Record<String, ScoreEvent> record) {
        AlertState before = states.get(record.key());
        AlertState.Step step = AlertState.next(before, record.value(), kind.alert(), context.currentSystemTimeMs());
        remember(record.key(), before, step.state());
        if (step.event() != null) {
            publish(record, step.event());
        }
    }

    private void remember(String deviceId, AlertState before, AlertState after) {
        if (after != null) {
            states.put(deviceId, after);
        } else if (before != null) {
            states.delete(deviceId); // idle devices keep no state
        }
    }

    private void publish(Record<String, ScoreEvent> record, AlertEvent event) {
        if (event.state() == AlertEvent.State.RAISED) {
            meters.raised(task, event.deviceId());
        } else {
            meters.cleared(task, event.deviceId());
        }
        meters.alertChanged(event);
        context.forward(record.withValue(event), names.alertsSink());
    }

    /**
     * Episodes restored with this task's store are open alerts: counted in the active gauge and shown on
     * the board (per-device series, live page) as they were before the restart or the task's move.
     */
    private void adoptOpenEpisodes() {
        Map<String, Long> open = new LinkedHashMap<>();
        try (KeyValueIterator<String, AlertState> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, AlertState> entry = all.next();
                if (entry.value.active()) {
                    open.put(entry.key, entry.value.firstWindowStart());
                }
            }
        }
        meters.adoptEpisodes(task, open);
    }

    @Override
    public void close() {
        meters.releaseEpisodes(task);
    }
}
