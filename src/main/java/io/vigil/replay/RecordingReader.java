package io.vigil.replay;

import io.vigil.config.ConfigException;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads recorded sensor files into per-device series for {@code vigil train} and {@code vigil score}.
 * Two formats are recognised by their content (see the README, "Recorded data formats"):
 * the generic CSV described by the topology's {@code csv} block, and Analog Devices' ADXL356
 * waveform files ({@link Adxl356Format}). Bad rows are skipped and reported, never fatal; a file that
 * cannot be mapped to the topology at all is a {@link ConfigException}.
 */
public final class RecordingReader {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingReader.class);
    /** Problems logged one by one before the rest are only counted, so a broken file cannot flood the log. */
    private static final int LOGGED_PROBLEMS = 20;

    private RecordingReader() {
    }

    /** Reads one file; skipped rows are logged at WARN. */
    public static List<DeviceSeries> read(Path file, SensorKind kind) {
        return logged(readRecording(file, kind));
    }

    /** Reads files, and every recording in the given folders (sorted by name); skipped rows are logged at WARN. */
    public static List<DeviceSeries> readAll(List<Path> filesOrDirs, SensorKind kind) {
        return logged(readAllRecordings(filesOrDirs, kind));
    }

    /** Reads one file and returns the skipped rows with it. */
    public static Recording readRecording(Path file, SensorKind kind) {
        String first = firstLine(file);
        if (Adxl356Format.matches(file, first)) {
            return Adxl356Format.read(file, kind);
        }
        return GenericCsvFormat.read(file, kind);
    }

    /**
     * Reads files and folders in the given order; a folder contributes its {@code *.csv} files sorted
     * by name. A device id met in two files is kept as two series: each file is one recording.
     */
    public static Recording readAllRecordings(List<Path> filesOrDirs, SensorKind kind) {
        List<DeviceSeries> series = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : expand(filesOrDirs)) {
            Recording one = readRecording(file, kind);
            series.addAll(one.series());
            problems.addAll(one.problems());
        }
        return new Recording(series, problems);
    }

    static List<Path> expand(List<Path> filesOrDirs) {
        List<Path> files = new ArrayList<>();
        for (Path path : filesOrDirs) {
            if (!Files.exists(path)) {
                throw new ConfigException(path + ": recording not found");
            }
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            try (Stream<Path> listed = Files.list(path)) {
                List<Path> csvs = listed.filter(p -> p.getFileName().toString().endsWith(".csv"))
                        .filter(Files::isRegularFile).sorted().toList();
                if (csvs.isEmpty()) {
                    throw new ConfigException(path + ": folder holds no *.csv recordings");
                }
                files.addAll(csvs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path, e);
            }
        }
        return files;
    }

    private static String firstLine(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                throw new ConfigException(file + ": empty file; expected a header line or ADXL356 samples");
            }
            return line;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file + ": recording not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<DeviceSeries> logged(Recording recording) {
        List<String> problems = recording.problems();
        problems.stream().limit(LOGGED_PROBLEMS).forEach(p -> LOG.warn("{}", p));
        if (problems.size() > LOGGED_PROBLEMS) {
            LOG.warn("{} more rows skipped", problems.size() - LOGGED_PROBLEMS);
        }
        return recording.series();
    }

    /** Opens a recording for line-by-line reading; CRLF and LF both end a line. */
    static BufferedReader open(Path file) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
