package io.vigil.replay;

import io.vigil.reading.DeviceSeries;
import java.util.List;

/**
 * What a recorded file (or several) yielded: the device series, and one line per skipped row in the
 * form {@code <file>:<line>: <reason>}. Problems never stop a read; the caller decides whether to
 * print, count or fail on them.
 */
public record Recording(List<DeviceSeries> series, List<String> problems) {

    public Recording {
        series = List.copyOf(series);
        problems = List.copyOf(problems);
    }
}
