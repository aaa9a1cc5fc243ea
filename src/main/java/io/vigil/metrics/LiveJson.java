package io.vigil.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The live page's data: {@code {"now", "deviceCap", "devicesOverCap", "devices": [...], "alerts": [...]}}
 * with the fields of {@link LiveBoard.DeviceState} and {@link LiveBoard.AlertNote}. A score not
 * yet known is {@code null}, not {@code NaN} (which JSON cannot carry).
 */
final class LiveJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LiveBoard board;

    LiveJson(LiveBoard board) {
        this.board = board;
    }

    record Device(String kind, String device, Double score, Double threshold, boolean alert, long alertSinceMs,
                  long windowEndMs, long updatedMs) {
    }

    record Live(long now, int deviceCap, long devicesOverCap, List<Device> devices,
                List<LiveBoard.AlertNote> alerts) {
    }

    byte[] render(long nowMs) {
        List<Device> devices = board.devices().stream()
                .map(s -> new Device(s.kind(), s.device(), finite(s.score()), finite(s.threshold()), s.alert(),
                        s.alertSinceMs(), s.windowEndMs(), s.updatedMs()))
                .toList();
        try {
            return MAPPER.writeValueAsBytes(new Live(nowMs, board.deviceCap(), board.devicesOverCap(), devices,
                    board.recentAlerts()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
