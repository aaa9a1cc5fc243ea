package io.vigil.replay;

import io.vigil.topology.ConfigException;
import io.vigil.topology.SensorTopology;
import io.vigil.topology.SensorTopology.CsvMapping;
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
 * The generic recorded CSV: a header, a timestamp column in epoch ms, the topology's feature columns
 * by name in any order (other columns ignored), an optional device column (absent: the file's base
 * name is the device id) and an optional 0/1 label column.
 */
final class GenericCsvFormat {

    private GenericCsvFormat() {
    }

    static Recording read(Path file, SensorTopology topology) {
        try (BufferedReader in = RecordingReader.open(file)) {
            Columns columns = Columns.of(file, Cells.header(in.readLine(), ','), topology);
            Map<String, SeriesBuilder> devices = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            double[] sample = new double[topology.featureCount()];
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = Cells.split(line, ',');
                String problem = parse(cells, columns, topology, sample);
                if (problem != null) {
                    problems.add(file + ":" + lineNo + ": " + problem + "; row skipped");
                    continue;
                }
                String device = columns.device < 0 ? columns.fileDevice : cells[columns.device];
                int label = columns.label < 0 ? 0 : Integer.parseInt(cells[columns.label]);
                devices.computeIfAbsent(device, d -> new SeriesBuilder(d, sample.length))
                        .add(Long.parseLong(cells[columns.ts]), sample, label, lineNo);
            }
            var series = devices.values().stream()
                    .map(b -> b.build(columns.label >= 0, file.toString(), problems)).toList();
            return new Recording(series, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Fills {@code sample} from the row, or returns why the row cannot be used. */
    private static String parse(String[] cells, Columns columns, SensorTopology topology, double[] sample) {
        if (cells.length != columns.count) {
            return "expected " + columns.count + " cells as in the header, got " + cells.length;
        }
        String ts = cells[columns.ts];
        try {
            Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return "column '" + topology.csv().timestampColumn() + "': expected epoch milliseconds, got "
                    + Cells.quote(ts);
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
                return "column '" + topology.features().get(f) + "': expected a finite number, got " + Cells.quote(cell);
            }
            sample[f] = value;
        }
        if (columns.device >= 0 && cells[columns.device].isEmpty()) {
            return "column '" + topology.csv().deviceColumn() + "': expected a device id, got an empty cell";
        }
        if (columns.label >= 0 && !cells[columns.label].equals("0") && !cells[columns.label].equals("1")) {
            return "column '" + topology.csv().labelColumn() + "': expected 0 or 1, got "
                    + Cells.quote(cells[columns.label]);
        }
        return null;
    }

    /** Column positions resolved from the header once per file; -1 = optional column absent. */
    private record Columns(int count, int ts, int[] features, int device, int label, String fileDevice) {

        static Columns of(Path file, String[] header, SensorTopology topology) {
            CsvMapping csv = topology.csv();
            List<String> names = Arrays.asList(header);
            int[] features = new int[topology.featureCount()];
            for (int f = 0; f < features.length; f++) {
                features[f] = required(file, names, topology.features().get(f), topology);
            }
            return new Columns(header.length, required(file, names, csv.timestampColumn(), topology), features,
                    names.indexOf(csv.deviceColumn()), names.indexOf(csv.labelColumn()), baseName(file));
        }

        private static int required(Path file, List<String> header, String column, SensorTopology topology) {
            int index = header.indexOf(column);
            if (index < 0) {
                throw new ConfigException(file + ": column '" + column + "' missing; topology '" + topology.kind()
                        + "' expects a header with '" + topology.csv().timestampColumn() + "' (epoch ms) and "
                        + topology.features() + ", found " + header);
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
