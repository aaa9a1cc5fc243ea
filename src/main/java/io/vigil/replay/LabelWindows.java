package io.vigil.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels given as time windows in a side file, as NAB gives them: {@code labels.json} in the
 * recording's folder or the one above maps {@code <folder>/<file>} (or {@code <file>}) to a list of
 * {@code [start, end]} ISO-8601 times. A sample whose time lies inside a window (ends included) is
 * anomalous. A recording the file does not mention stays unlabelled.
 */
final class LabelWindows {

    static final String FILE_NAME = "labels.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<long[]> windows;

    private LabelWindows(List<long[]> windows) {
        this.windows = windows;
    }

    /** The windows of {@code recording}, or null when no labels file mentions it. */
    static LabelWindows of(Path recording) {
        Path folder = recording.toAbsolutePath().getParent();
        String file = recording.getFileName().toString();
        for (Path dir = folder; dir != null && dir.getNameCount() >= folder.getNameCount() - 1; dir = dir.getParent()) {
            Path labels = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(labels)) {
                String key = dir.equals(folder) ? file : folder.getFileName() + "/" + file;
                JsonNode entry = read(labels).get(key);
                if (entry != null) {
                    return new LabelWindows(windows(labels, key, entry));
                }
            }
        }
        return null;
    }

    int labelAt(long ts) {
        for (long[] w : windows) {
            if (ts >= w[0] && ts <= w[1]) {
                return 1;
            }
        }
        return 0;
    }

    private static JsonNode read(Path labels) {
        try {
            JsonNode root = JSON.readTree(labels.toFile());
            if (root == null || !root.isObject()) {
                throw new ConfigException(labels + ": expected a JSON object of recording -> [[start, end], ...]");
            }
            return root;
        } catch (IOException e) {
            throw new ConfigException(labels + ": not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static List<long[]> windows(Path labels, String key, JsonNode entry) {
        List<long[]> windows = new ArrayList<>();
        if (!entry.isArray()) {
            throw new ConfigException(labels + ": field '" + key + "': expected a list of [start, end] windows");
        }
        for (JsonNode w : entry) {
            Long start = w.isArray() && w.size() == 2 ? Timestamps.parse(w.get(0).asText()) : null;
            Long end = w.isArray() && w.size() == 2 ? Timestamps.parse(w.get(1).asText()) : null;
            if (start == null || end == null || end < start) {
                throw new ConfigException(labels + ": field '" + key + "': expected [start, end] ISO-8601 times, "
                        + "start first, got " + w);
            }
            windows.add(new long[] {start, end});
        }
        return windows;
    }
}
