package io.vigil.simulator;

import io.vigil.payload.Decimals;
import io.vigil.reading.DeviceSeries;
import io.vigil.kind.SensorKind.CsvMapping;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a fleet run as Vigil's generic recorded CSV: {@code ts,device,<features…>,label}, one row
 * per device and sample, rows in time order (all devices at a time, then the next time), so the
 * file replays like the live stream. Values have six decimals; ts is epoch milliseconds.
 */
public final class FleetCsvWriter {

    private final List<String> features;
    private final CsvMapping columns;

    /**
     * @param features feature column names in the order of the simulated values (x, y, z)
     * @param columns  names of the timestamp, device and label columns (the topology's csv mapping)
     */
    public FleetCsvWriter(List<String> features, CsvMapping columns) {
        this.features = List.copyOf(features);
        this.columns = columns;
    }

    public String header() {
        return columns.timestampColumn() + "," + columns.deviceColumn() + "," + String.join(",", features)
                + "," + columns.labelColumn();
    }

    /**
     * Writes the header and the next {@code samplesPerDevice} samples of {@code run}, in chunks of
     * {@code chunk} samples; {@code progress} receives the samples per device written so far after
     * each chunk. Returns the number of rows written.
     */
    public long write(Fleet.Run run, long samplesPerDevice, int chunk, Writer out, LongConsumer progress)
            throws IOException {
        out.write(header());
        out.write('\n');
        long rows = 0;
        StringBuilder line = new StringBuilder(256);
        for (long done = 0; done < samplesPerDevice; ) {
            int n = (int) Math.min(chunk, samplesPerDevice - done);
            List<DeviceSeries> devices = run.next(n);
            for (int i = 0; i < n; i++) {
                for (DeviceSeries device : devices) {
                    line.setLength(0);
                    appendRow(line, device, i);
                    out.append(line);
                    rows++;
                }
            }
            done += n;
            progress.accept(done);
        }
        out.flush();
        return rows;
    }

    private static void appendRow(StringBuilder line, DeviceSeries device, int i) {
        line.append(device.ts()[i]).append(',').append(device.device());
        for (double value : device.values()[i]) {
            Decimals.appendFixed6(line.append(','), value);
        }
        line.append(',').append(device.labels()[i]).append('\n');
    }
}
