package io.vigil.replay;

import io.vigil.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams Backblaze Drive Stats — a folder of daily {@code YYYY-MM-DD.csv} files, or a {@code .zip}
 * of them — in date order, one {@link DriveDay} per row, holding at most one day in memory.
 *
 * <p>Columns are found by header name in every file, so the 2013 schema, later ones with more SMART
 * columns, and the 2024 schema (datacenter, cluster_id, vault_id, pod_id, pod_slot_num,
 * is_legacy_format after {@code failure}) all read the same. Empty cells are NaN ("not reported");
 * a requested column that a file lacks is NaN for that file and noted once. A bad row is skipped,
 * counted and reported as {@code <file>:<line>: <reason>}; a file without the five identity columns,
 * or one that cannot be read, is skipped and reported as {@code <file>: <reason>}. Only a source in
 * which no file can be read is fatal. Each problem goes to the problem listener as it is met.
 */
public final class BackblazeReader {

    /** Backblaze's own rule of thumb: a raw value above zero in any of these deserves a look. */
    public static final List<String> BASELINE_COLUMNS =
            List.of("smart_5_raw", "smart_187_raw", "smart_188_raw", "smart_197_raw", "smart_198_raw");
    static final List<String> IDENTITY = List.of("date", "serial_number", "model", "capacity_bytes", "failure");
    /** Reported problems kept in full; beyond this they are only counted, so memory stays bounded. */
    static final int KEPT_PROBLEMS = 1000;
    private static final String EMPTY = "empty file; expected a Drive Stats header";

    private static final Logger LOG = LoggerFactory.getLogger(BackblazeReader.class);
    private static final Pattern DAY_FILE = Pattern.compile("(?:.*/)?(\\d{4}-\\d{2}-\\d{2})\\.csv");
    private static final Pattern SMART_COLUMN = Pattern.compile("smart_\\d+_(raw|normalized)");

    /** Receives one whole day: the rows of one daily file, in file order. */
    @FunctionalInterface
    public interface DayVisitor {
        void day(LocalDate date, List<DriveDay> drives);
    }

    /** Where a read stands, after each day (after the day's rows went to the caller): for a progress bar. */
    public record Progress(int days, int totalDays, long rows, long badRows, int skippedFiles) {
    }

    /**
     * What a read did.
     *
     * @param days         daily files read, skipped ones included
     * @param skippedFiles daily files skipped whole: no identity columns, or unreadable
     * @param problems     the first {@value #KEPT_PROBLEMS} problems; {@code badRows} counts the bad rows
     */
    public record Report(int days, long rows, long badRows, int skippedFiles, List<String> problems) {
        public Report {
            problems = List.copyOf(problems);
        }
    }

    /** Per-drive histories with the report of the read that built them. */
    public record Histories(Map<String, DriveHistory> drives, Report report) {
    }

    private final List<String> columns;
    private final Consumer<Progress> progress;
    private final Consumer<String> problems;

    /** @param columns SMART columns to read, e.g. {@link #BASELINE_COLUMNS} or {@code smart_9_raw} */
    public BackblazeReader(List<String> columns) {
        this(columns, p -> { });
    }

    public BackblazeReader(List<String> columns, Consumer<Progress> progress) {
        this(columns, progress, p -> { });
    }

    /** @param problems told each problem ({@code <file>:<line>: <reason>}) as it is met, before the read goes on */
    public BackblazeReader(List<String> columns, Consumer<Progress> progress, Consumer<String> problems) {
        for (String column : columns) {
            if (!SMART_COLUMN.matcher(column).matches()) {
                throw new ConfigException("Backblaze column '" + column
                        + "': expected a SMART column such as smart_5_raw or smart_194_normalized");
            }
        }
        this.columns = List.copyOf(columns);
        this.progress = progress;
        this.problems = problems;
    }

    public List<String> columns() {
        return columns;
    }

    /** Reads every row in date order. */
    public Report forEachRow(Path dirOrZip, Consumer<DriveDay> rows) {
        return read(dirOrZip, rows, () -> { });
    }

    /** Reads day by day; one day's rows are in memory at a time. A day without good rows is not visited. */
    public Report forEachDay(Path dirOrZip, DayVisitor visitor) {
        List<DriveDay> today = new ArrayList<>();
        return read(dirOrZip, today::add, () -> {
            if (!today.isEmpty()) {
                visitor.day(today.get(0).date(), List.copyOf(today));
                today.clear();
            }
        });
    }

    /** Reads every file in date order; {@code endOfDay} runs after each file, before its progress is told. */
    private Report read(Path dirOrZip, Consumer<DriveDay> rows, Runnable endOfDay) {
        Tally tally = new Tally(problems);
        try (DayFiles files = DayFiles.open(dirOrZip)) {
            requireOneReadable(dirOrZip, files);
            for (DayFiles.Day day : files.days()) {
                try (InputStream in = files.open(day)) {
                    readDay(day, in, rows, tally);
                } catch (UnreadableFile | IOException e) {
                    tally.skippedFiles++;
                    tally.problem(why(day, e) + "; file skipped", false);
                }
                endOfDay.run();
                tally.days++;
                progress.accept(new Progress(tally.days, files.days().size(), tally.rows, tally.badRows,
                        tally.skippedFiles));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Backblaze data in " + dirOrZip, e);
        }
        return tally.report();
    }

    /**
     * Reads every drive's history (in first-seen order). Memory: about 4 bytes per drive, day and
     * column plus a few per drive-day — choose the columns with a year of a full fleet in mind.
     * A second row for a drive on the same day is reported and skipped.
     */
    public Histories readHistories(Path dirOrZip) {
        Map<String, HistoryBuilder> builders = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Report report = forEachRow(dirOrZip, row -> {
            HistoryBuilder drive = builders.computeIfAbsent(row.serial(), s -> new HistoryBuilder(row, columns.size()));
            if (!drive.add(row) && duplicates.size() < KEPT_PROBLEMS) {
                duplicates.add(dirOrZip + ": drive " + row.serial() + " reported twice on " + row.date()
                        + "; second row skipped");
            }
        });
        Map<String, DriveHistory> drives = new LinkedHashMap<>();
        builders.forEach((serial, builder) -> drives.put(serial, builder.build()));
        List<String> problems = new ArrayList<>(report.problems());
        problems.addAll(duplicates);
        return new Histories(drives, new Report(report.days(), report.rows(), report.badRows() + duplicates.size(),
                report.skippedFiles(), problems));
    }

    /** Convenience for training and evaluation: histories of {@code columns}, problems logged at WARN. */
    public static Map<String, DriveHistory> readHistories(Path dirOrZip, List<String> columns) {
        Histories histories = new BackblazeReader(columns).readHistories(dirOrZip);
        Report report = histories.report();
        report.problems().stream().limit(20).forEach(p -> LOG.warn("{}", p));
        LOG.info("Backblaze {}: {} days, {} rows, {} drives, {} rows skipped", dirOrZip, report.days(), report.rows(),
                histories.drives().size(), report.badRows());
        return histories.drives();
    }

    /**
     * Fails in one line, before anything is read, when no daily file has a Drive Stats header; reads
     * headers only up to the first good one, so a good source costs one header.
     */
    private static void requireOneReadable(Path dirOrZip, DayFiles files) {
        String first = null;
        for (DayFiles.Day day : files.days()) {
            try (InputStream in = files.open(day)) {
                String header = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                if (header == null) {
                    throw new UnreadableFile(day.name() + ": " + EMPTY);
                }
                DayColumns.identity(day.name(), Cells.header(header, ','));
                return;
            } catch (UnreadableFile | IOException e) {
                first = first == null ? why(day, e) : first;
            }
        }
        throw new ConfigException(files.days().size() == 1 ? first : dirOrZip + ": none of the "
                + files.days().size() + " daily files has a Drive Stats header; the first: " + first);
    }

    private static String why(DayFiles.Day day, Exception e) {
        return e instanceof UnreadableFile ? e.getMessage() : day.name() + ": cannot read (" + e.getMessage() + ")";
    }

    private void readDay(DayFiles.Day day, InputStream stream, Consumer<DriveDay> rows, Tally tally)
            throws IOException {
        // BufferedReader.readLine ends lines at LF, CR or CRLF: Backblaze's CRLF never reaches a cell.
        BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        String header = in.readLine();
        if (header == null) {
            throw new UnreadableFile(day.name() + ": " + EMPTY);
        }
        DayColumns at = DayColumns.of(day.name(), Cells.header(header, ','), columns, tally);
        String date = day.date().toString();
        int[] bounds = new int[at.count() + 2];
        int lineNo = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String problem = parseRow(line, bounds, at, date);
            if (problem != null) {
                tally.problem(day.name() + ":" + lineNo + ": " + problem + "; row skipped", true);
                continue;
            }
            double[] values = new double[columns.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = at.smart()[c] < 0 ? Double.NaN : number(line, bounds, at.smart()[c]);
            }
            rows.accept(new DriveDay(day.date(), cell(line, bounds, at.serial()), cell(line, bounds, at.model()),
                    Long.parseLong(cell(line, bounds, at.capacity())), cell(line, bounds, at.failure()).equals("1"),
                    values));
            tally.rows++;
        }
    }

    /** Checks one row; null when every cell this reader uses is well-formed. */
    private static String parseRow(String line, int[] bounds, DayColumns at, String date) {
        int cells = Cells.bounds(line, ',', bounds);
        if (cells != at.count()) {
            return "expected " + at.count() + " cells as in the header, got "
                    + (cells < 0 ? "more" : String.valueOf(cells));
        }
        if (!cell(line, bounds, at.date()).equals(date)) {
            return "date " + Cells.quote(cell(line, bounds, at.date())) + " in the file for " + date;
        }
        if (bounds[at.serial() + 1] - 1 == bounds[at.serial()]) {
            return "serial_number is empty";
        }
        String failure = cell(line, bounds, at.failure());
        if (!failure.equals("0") && !failure.equals("1")) {
            return "failure: expected 0 or 1, got " + Cells.quote(failure);
        }
        String capacity = cell(line, bounds, at.capacity());
        try {
            Long.parseLong(capacity);
        } catch (NumberFormatException e) {
            return "capacity_bytes: expected whole bytes, got " + Cells.quote(capacity);
        }
        for (int i = 0; i < at.smart().length; i++) {
            int index = at.smart()[i];
            if (index >= 0 && bounds[index + 1] - 1 > bounds[index] && !Double.isFinite(number(line, bounds, index))) {
                return at.names()[index] + ": expected a number or an empty cell, got "
                        + Cells.quote(cell(line, bounds, index));
            }
        }
        return null;
    }

    private static String cell(String line, int[] bounds, int index) {
        return line.substring(bounds[index], bounds[index + 1] - 1);
    }

    /** The cell as a number; NaN when empty (not reported) or not a number (the caller tells them apart). */
    private static double number(String line, int[] bounds, int index) {
        if (bounds[index + 1] - 1 == bounds[index]) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell(line, bounds, index));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Column positions of one file, found by header name. */
    private record DayColumns(String[] names, int count, int date, int serial, int model, int capacity, int failure,
                              int[] smart) {

        static DayColumns of(String file, String[] header, List<String> requested, Tally tally) {
            List<String> names = Arrays.asList(header);
            int[] identity = identity(file, header);
            int[] smart = new int[requested.size()];
            for (int i = 0; i < smart.length; i++) {
                smart[i] = names.indexOf(requested.get(i));
                if (smart[i] < 0) {
                    tally.problem(file + ": column '" + requested.get(i) + "' absent; read as not reported (NaN)",
                            false);
                }
            }
            return new DayColumns(header, header.length, identity[0], identity[1], identity[2], identity[3],
                    identity[4], smart);
        }

        /** Positions of the {@link #IDENTITY} columns; a file without one of them cannot be read. */
        static int[] identity(String file, String[] header) {
            List<String> names = Arrays.asList(header);
            int[] identity = new int[IDENTITY.size()];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = names.indexOf(IDENTITY.get(i));
                if (identity[i] < 0) {
                    throw new UnreadableFile(file + ": column '" + IDENTITY.get(i)
                            + "' missing; expected a Backblaze Drive Stats header with " + IDENTITY);
                }
            }
            return identity;
        }
    }

    /** A daily file that cannot be read as Drive Stats: skipped whole, the read goes on. */
    private static final class UnreadableFile extends RuntimeException {
        UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }

    /** Counters of one read. */
    private static final class Tally {
        int days;
        long rows;
        long badRows;
        int skippedFiles;
        final List<String> problems = new ArrayList<>();
        final Consumer<String> listener;

        Tally(Consumer<String> listener) {
            this.listener = listener;
        }

        void problem(String text, boolean badRow) {
            if (badRow) {
                badRows++;
            }
            if (problems.size() < KEPT_PROBLEMS) {
                problems.add(text);
            }
            listener.accept(text);
        }

        Report report() {
            return new Report(days, rows, badRows, skippedFiles, problems);
        }
    }

    /** Grows one drive's history; days arrive in order because the files are read in date order. */
    private static final class HistoryBuilder {
        private final String serial;
        private final String model;
        private final long capacity;
        private final int columns;
        private int[] days = new int[64];
        private float[] values;
        private int size;
        private LocalDate failure;

        HistoryBuilder(DriveDay first, int columns) {
            this.serial = first.serial();
            this.model = first.model();
            this.capacity = first.capacityBytes();
            this.columns = columns;
            this.values = new float[days.length * columns];
        }

        /** False when the drive already has a row for this day. */
        boolean add(DriveDay row) {
            int day = (int) row.date().toEpochDay();
            if (size > 0 && days[size - 1] >= day) {
                return false;
            }
            if (size == days.length) {
                days = Arrays.copyOf(days, size * 2);
                values = Arrays.copyOf(values, size * 2 * columns);
            }
            days[size] = day;
            for (int c = 0; c < columns; c++) {
                values[size * columns + c] = (float) row.values()[c];
            }
            size++;
            if (row.failure() && failure == null) {
                failure = row.date();
            }
            return true;
        }

        DriveHistory build() {
            return new DriveHistory(serial, model, capacity, Arrays.copyOf(days, size),
                    Arrays.copyOf(values, size * columns), columns, failure);
        }
    }

    /** The daily files of a folder or a zip, sorted by date. */
    private static final class DayFiles implements AutoCloseable {

        record Day(LocalDate date, String name, String entry) {
        }

        private final ZipFile zip;
        private final List<Day> days;

        private DayFiles(ZipFile zip, List<Day> days) {
            this.zip = zip;
            this.days = days;
        }

        static DayFiles open(Path dirOrZip) throws IOException {
            if (Files.isDirectory(dirOrZip)) {
                try (Stream<Path> listed = Files.list(dirOrZip)) {
                    return new DayFiles(null, sorted(dirOrZip, listed.map(p -> day(p.getFileName().toString(),
                            p.toString(), p.toString())).filter(d -> d != null).toList()));
                }
            }
            if (!Files.isRegularFile(dirOrZip)) {
                throw new ConfigException(dirOrZip + ": Backblaze data not found; expected a folder or .zip of"
                        + " YYYY-MM-DD.csv files");
            }
            ZipFile zip = new ZipFile(dirOrZip.toFile());
            List<Day> days = new ArrayList<>();
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Day day = entry.isDirectory() || entry.getName().startsWith("__MACOSX/") ? null
                        : day(entry.getName(), dirOrZip + "!/" + entry.getName(), entry.getName());
                if (day != null) {
                    days.add(day);
                }
            }
            try {
                return new DayFiles(zip, sorted(dirOrZip, days));
            } catch (ConfigException e) {
                zip.close();
                throw e;
            }
        }

        private static Day day(String path, String name, String entry) {
            Matcher m = DAY_FILE.matcher(path);
            if (!m.matches()) {
                return null;
            }
            try {
                return new Day(LocalDate.parse(m.group(1)), name, entry);
            } catch (java.time.DateTimeException e) {
                return null; // 2013-13-45.csv is not a day file
            }
        }

        private static List<Day> sorted(Path source, List<Day> days) {
            if (days.isEmpty()) {
                throw new ConfigException(source + ": no Backblaze daily files; expected YYYY-MM-DD.csv files");
            }
            return days.stream().sorted(Comparator.comparing(Day::date)).toList();
        }

        List<Day> days() {
            return days;
        }

        InputStream open(Day day) throws IOException {
            return zip == null ? Files.newInputStream(Path.of(day.entry())) : zip.getInputStream(zip.getEntry(day.entry()));
        }

        @Override
        public void close() throws IOException {
            if (zip != null) {
                zip.close();
            }
        }
    }
}
