package io.vigil.replay;

import java.util.Arrays;

/**
 * Splits one delimited line into cells without quoting rules: none of the recorded formats we read
 * quote their cells, and a hand-written split is several times faster than {@code String.split}.
 */
final class Cells {

    private Cells() {
    }

    /** The cells of {@code line}, each trimmed (ADXL356 files put a space before the separator). */
    static String[] split(String line, char separator) {
        String[] cells = new String[count(line, separator)];
        int start = 0;
        for (int i = 0; i < cells.length; i++) {
            int end = line.indexOf(separator, start);
            if (end < 0) {
                end = line.length();
            }
            cells[i] = line.substring(start, end).trim();
            start = end + 1;
        }
        return cells;
    }

    /**
     * Fills {@code bounds} with the start of every cell and the end of the last one
     * ({@code bounds[i]..bounds[i+1]-1} is cell i) and returns the cell count, growing nothing:
     * returns -1 when the line has more cells than {@code bounds} can hold.
     */
    static int bounds(String line, char separator, int[] bounds) {
        int cells = 0;
        bounds[0] = 0;
        for (int i = 0, n = line.length(); i < n; i++) {
            if (line.charAt(i) == separator) {
                if (++cells >= bounds.length - 1) {
                    return -1;
                }
                bounds[cells] = i + 1;
            }
        }
        bounds[cells + 1] = line.length() + 1;
        return cells + 1;
    }

    static int count(String line, char separator) {
        int cells = 1;
        for (int i = 0, n = line.length(); i < n; i++) {
            if (line.charAt(i) == separator) {
                cells++;
            }
        }
        return cells;
    }

    /** A cell for an error message: short, on one line. */
    static String quote(String cell) {
        String shown = cell.length() <= 40 ? cell : cell.substring(0, 37) + "...";
        return "'" + shown + "'";
    }

    static String[] header(String line, char separator) {
        String[] names = split(stripBom(line), separator);
        return Arrays.stream(names).map(Cells::unquote).toArray(String[]::new);
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String unquote(String name) {
        return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1) : name;
    }
}
