package io.vigil.replay;

import io.vigil.reading.DeviceSeries;
import java.time.LocalDate;

/**
 * One drive's SMART values over time, for training and evaluating a SMART model. Values are floats
 * to halve the memory of a fleet-wide history: a float keeps 7 significant digits, exact for counters
 * up to 16,777,216 and close enough above that for a model's input.
 *
 * @param epochDays   day of each row ({@link LocalDate#toEpochDay()}), ascending, no repeats
 * @param values      {@code [row * columns + column]}, NaN = not reported
 * @param columns     number of SMART columns per row (the reader's requested columns, in that order)
 * @param failureDate the day with {@code failure = 1}, or null for a drive that did not fail here
 */
public record DriveHistory(String serial, String model, long capacityBytes, int[] epochDays, float[] values,
                           int columns, LocalDate failureDate) {

    public DriveHistory {
        if (values.length != epochDays.length * columns) {
            throw new IllegalArgumentException("drive " + serial + ": " + epochDays.length + " days x " + columns
                    + " columns but " + values.length + " values");
        }
    }

    public int days() {
        return epochDays.length;
    }

    public LocalDate date(int row) {
        return LocalDate.ofEpochDay(epochDays[row]);
    }

    public float value(int row, int column) {
        return values[row * columns + column];
    }

    public boolean failed() {
        return failureDate != null;
    }

    /**
     * The history as a series on a day clock (midnight UTC in epoch ms). A row is labelled 1 when it
     * lies within {@code warningDays} days before the failure date (the failure day included), the
     * look-ahead a SMART detector is judged on; a drive that did not fail is all 0.
     */
    public DeviceSeries toDeviceSeries(int warningDays) {
        long[] ts = new long[days()];
        double[][] rows = new double[days()][columns];
        int[] labels = new int[days()];
        long failureDay = failed() ? failureDate.toEpochDay() : Long.MIN_VALUE;
        for (int r = 0; r < ts.length; r++) {
            ts[r] = epochDays[r] * 86_400_000L;
            for (int c = 0; c < columns; c++) {
                rows[r][c] = value(r, c);
            }
            labels[r] = failed() && failureDay - epochDays[r] < warningDays && epochDays[r] <= failureDay ? 1 : 0;
        }
        return new DeviceSeries(serial, ts, rows, labels);
    }
}
