package io.vigil.replay;

import java.time.LocalDate;

/**
 * One row of Backblaze Drive Stats: one drive on one day.
 *
 * @param failure true on the drive's last operational day
 * @param values  the requested SMART columns, in the order the reader was asked for them;
 *                NaN where the cell is empty ("not reported") or the file lacks the column
 */
public record DriveDay(LocalDate date, String serial, String model, long capacityBytes, boolean failure,
                       double[] values) {
}
