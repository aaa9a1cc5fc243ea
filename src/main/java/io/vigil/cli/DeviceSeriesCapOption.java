package io.vigil.cli;

import io.vigil.metrics.LiveBoard;
import io.vigil.metrics.Telemetry;
import picocli.CommandLine.Option;

/** {@code --device-series-cap}, shared by the commands that score devices (detect, demo). */
final class DeviceSeriesCapOption {

    @Option(names = "--device-series-cap", defaultValue = "" + LiveBoard.DEFAULT_DEVICE_CAP, paramLabel = "N",
            description = "Devices with their own score/threshold/alert series and a row on the live page; later"
                    + " devices are still scored and alerted (default ${DEFAULT-VALUE}).")
    int cap;

    /** Fails fast, before a command does anything slow. */
    void validate() {
        if (cap < 0) {
            throw new UsageException("--device-series-cap must be 0 or more, got " + cap);
        }
    }

    /** The process's telemetry with a board of {@code cap} devices. */
    Telemetry telemetry() {
        validate();
        return Telemetry.create(cap);
    }
}
