package io.vigil.replay;

import io.vigil.config.ConfigException;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKind.CsvMapping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generic recorded CSV: a header, a timestamp column (epoch ms or ISO-8601, see {@link Timestamps}),
 * the topology's feature columns by name in any order (other columns ignored), an optional device
 * column (absent: the file's base name is the device id) and an optional 0/1 label column ({@code 0.0}
 * and {@code 1.0} too, as SKAB writes them). Cells are separated by {@code ,} or, when the header holds
 * more of them, by {@code ;}. Without a label column, labels may come as time windows from a
 * {@code labels.json} next to the file ({@link LabelWindows}, NAB's form).
 */
final class GenericCsvFormat {

    /** Label cells read as 0 or 1. */
    private static final java.util.Set<String> LABELS = java.util.Set.of("0", "1", "0.0", "1.0");

    private GenericCsvFormat() {
    }

    /** {@code ;} when the header holds more of them than commas (SKAB), else {@code ,}. */
    static char separator(String header) {
        if (header == null) {
            return ',';
        }
        return Cells.count(header, ';') > Cells.count(header, ',') ? ';' : ',';
    }

    static Recording read(Path file, SensorKind kind) {
        try (BufferedReader in = RecordingReader.open(file)) {
            String header = in.readLine();
            char separator = separator(header);
            Columns columns = Columns.of(file, Cells.header(header, separator), kind);
            LabelWindows windows = columns.label < 0 ? LabelWindows.of(file) : null;
            Map<String, SeriesBuilder> devices = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            double[] sample = new double[kind.featureCount()];
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = Cells.split(line, separator);
                String problem = parse(cells, columns, kind, sample);
                if (problem != null) {
                    problems.add(file + ":" + lineNo + ": " + problem + "; row skipped");
                    continue;
                }
                String device = columns.device < 0 ? columns.fileDevice : cells[columns.device];
                long ts = Timestamps.parse(cells[columns.ts]);
                int label = columns.label >= 0 ? (int) Double.parseDouble(cells[columns.label])
                        : windows != null ? windows.labelAt(ts) : 0;
                devices.computeIfAbsent(device, d -> new SeriesBuilder(d, sample.length))
                        .add(ts, sample, label, lineNo);
            }
            boolean labelled = columns.label >= 0 || windows != null;
            var series = devices.values().stream()
                    .map(b -> b.build(labelled, file.toString(), problems)).toList();
            return new Recording(series, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Fills {@code sample} from the row, or returns why the row cannot be used. */
    private static String parse(String[] cells, Columns columns, SensorKind kind, double[] sample) {
        if (cells.length != columns.count) {
            return "expected " + columns.count + " cells as in the header, got " + cells.length;
        }
        String ts = cells[columns.ts];
        if (Timestamps.parse(ts) == null) {
            return "column '" + kind.csv().timestampColumn() + "': expected epoch milliseconds or an ISO-8601 "
                    + "time, got " + Cells.quote(ts);
        }
        for (int f = 0; f < sample.length; f++) {
            String cell = cells[columns.features[f]];
            double value;
            try {
                value = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!Double.isFinite(value)) {
                return "column '" + kind.features().get(f) + "': expected a finite number, got " + Cells.quote(cell);
            }
            sample[f] = value;
        }
        if (columns.device >= 0 && cells[columns.device].isEmpty()) {
            return "column '" + kind.csv().deviceColumn() + "': expected a device id, got an empty cell";
        }
        if (columns.label >= 0 && !LABELS.contains(cells[columns.label])) {
            return "column '" + kind.csv().labelColumn() + "': expected 0 or 1, got "
                    + Cells.quote(cells[columns.label]);
        }
        return null;
    }

    /** Column positions resolved from the header once per file; -1 = optional column absent. */
    private record Columns(int count, int ts, int[] features, int device, int label, String fileDevice) {

        static Columns of(Path file, String[] header, SensorKind kind) {
            CsvMapping csv = kind.csv();
            List<String> names = Arrays.asList(header);
            int[] features = new int[kind.featureCount()];
            for (int f = 0; f < features.length; f++) {
                features[f] = required(file, names, kind.features().get(f), kind);
            }
            return new Columns(header.length, required(file, names, csv.timestampColumn(), kind), features,
                    names.indexOf(csv.deviceColumn()), names.indexOf(csv.labelColumn()), baseName(file));
        }

        private static int required(Path file, List<String> header, String column, SensorKind kind) {
            int index = header.indexOf(column);
            if (index < 0) {
                throw new ConfigException(file + ": column '" + column + "' missing; topology '" + kind.name()
                        + "' expects a header with '" + kind.csv().timestampColumn() + "' (epoch ms or ISO-8601) and "
                        + kind.features() + ", found " + header);
            }
            return index;
        }

        private static String baseName(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        }
    }
}
