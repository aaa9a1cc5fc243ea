package io.vigil.cli;

import io.vigil.model.DeviceCalibration;
import io.vigil.model.Windower;
import io.vigil.reading.DeviceSeries;
import io.vigil.reading.HealthyRows;
import io.vigil.replay.RecordingReader;
import io.vigil.replay.SmartReadings;
import io.vigil.simulator.Fleet;
import io.vigil.simulator.ScenarioLoader;
import io.vigil.kind.SensorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code --data} arguments of train, score and bench: a simulator scenario (*.yaml) is
 * generated, anything else (CSV, ADXL356 *.Wfm.csv, or a folder of them) is read as a recording; for a
 * SMART topology (one with {@code sources}) every path is Backblaze data: every drive, a failed drive labelled on
 * its failure day (score sees it; {@link #healthyOnly} leaves it out of training).
 */
final class DataSources {

    private DataSources() {
    }

    static List<DeviceSeries> read(List<Path> paths, SensorKind kind) {
        requireExisting(paths);
        if (!kind.sources().isEmpty()) {
            return smart(paths, kind);
        }
        List<DeviceSeries> series = new ArrayList<>();
        List<Path> recordings = new ArrayList<>();
        for (Path path : paths) {
            String name = path.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                series.addAll(Fleet.of(ScenarioLoader.load(path)).generate(Fleet.REPRODUCIBLE_START_MS));
            } else {
                recordings.add(path);
            }
        }
        if (!recordings.isEmpty()) {
            series.addAll(RecordingReader.readAll(recordings, kind));
        }
        return series;
    }

    /** Fails with one line naming the first path that does not exist; cheap, so commands call it before heavy work. */
    static void requireExisting(List<Path> paths) {
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new UsageException(path + ": no such file or folder");
            }
        }
    }

    /**
     * A SMART topology reads Backblaze folders or zips: every drive, features per its sources, a failed drive
     * labelled 1 on its failure day (score sees it; {@link #healthyRows} leaves it out of training).
     */
    private static List<DeviceSeries> smart(List<Path> paths, SensorKind kind) {
        List<DeviceSeries> series = new ArrayList<>();
        for (Path path : paths) {
            series.addAll(SmartReadings.every(path, kind));
        }
        return series;
    }

    /**
     * What the autoencoder trains on: the healthy rows of every series (a series with labelled anomalies
     * keeps its normal runs, {@link HealthyRows}); for a topology that standardizes each device on its
     * warm-up ({@code alert.calibrate}), each series standardized first, as the detector standardizes it.
     * A series too short to finish its warm-up is left out.
     */
    static List<DeviceSeries> healthyRows(List<DeviceSeries> series, SensorKind kind) {
        if (!kind.sources().isEmpty()) {
            return healthyOnly(series); // a drive that fails trains nothing, not even its days before failing
        }
        var calibrate = kind.alert().calibrate();
        DeviceCalibration calibration = calibrate == null ? null
                : new DeviceCalibration(calibrate, kind.hop(), kind.frontEnd());
        Windower.Shape shape = Windower.Shape.of(kind);
        List<DeviceSeries> rows = new ArrayList<>();
        for (DeviceSeries s : series) {
            DeviceSeries seen = calibration == null ? s : calibration.standardize(s, shape);
            if (seen != null) {
                rows.addAll(HealthyRows.of(seen));
            }
        }
        return rows;
    }

    /** The series without a labelled anomaly: drives that never fail, for a SMART model's training. */
    static List<DeviceSeries> healthyOnly(List<DeviceSeries> series) {
        return series.stream().filter(s -> !s.labelled() || java.util.Arrays.stream(s.labels()).allMatch(l -> l == 0))
                .toList();
    }
}
