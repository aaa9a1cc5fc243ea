package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Windower;
import io.vigil.stream.AlertState;
import io.vigil.stream.BoundedRocksDb;
import io.vigil.stream.DetectorTopology;
import io.vigil.kind.SensorKind;
import io.vigil.kind.SensorKindLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bench measures the detector's real stores: for a few devices its byte counts must be
 * exactly what the production serializers write for that many devices. No timing or heap assertions.
 */
class MemoryBenchTest {

    private static final SensorKind VIBRATION = SensorKindLoader.load(SensorKindLoader.DEFAULT_DIR, "vibration");
    private static final int DEVICES = 5;

    @TempDir
    Path tmp;

    @Test
    void theWindowStoreHoldsOneSerializedRingPerDevice() throws IOException {
        // given: 5 devices, one hop (16 samples) per record: 4 records per device
        var settings = new MemoryBench.Settings(DEVICES, VIBRATION.hop(), false);

        // when
        MemoryBench.Result result = MemoryBench.run(VIBRATION, settings, tmp, line -> { });

        // then: one 64 x 3 ring per device, exactly as Windower serializes it; nothing pending, no alert state
        var names = new DetectorTopology.Names(VIBRATION.name());
        int ring = new Windower(Windower.Shape.of(VIBRATION)).toBytes().length;
        // header (format, head, filled, sinceEmit, last time, newest frame's end), ring, frame starts, the
        // block front-end's count, block start and per-axis sum and sum of squares, and the open clock jump
        assertThat(ring).isEqualTo(1 + 3 * 4 + 2 * 8 + 64 * 3 * 4 + 64 * 8 + (4 + 8 + 3 * 2 * 8) + 2 * 8);
        assertThat(result.stores()).containsExactly(
                new MemoryBench.StoreSize(names.windowStore(), DEVICES, idBytes(DEVICES), (long) DEVICES * ring),
                new MemoryBench.StoreSize(names.pendingStore(), 0, 0, 0),
                new MemoryBench.StoreSize(names.alertStore(), 0, 0, 0));
        assertThat(result.perDevice(result.storeBytes())).isEqualTo(ring + "device-000000".length());
        assertThat(result.windowsScored()).isEqualTo(DEVICES);
    }

    @Test
    void everyStoreSharesOneBoundedBlockCache() throws IOException {
        // given: the detector's own Streams config, three persistent stores
        var settings = new MemoryBench.Settings(DEVICES, VIBRATION.hop(), false);

        // when
        MemoryBench.Result result = MemoryBench.run(VIBRATION, settings, tmp, line -> { });

        // then: each of the three stores reports the capacity of the cache it uses: BoundedRocksDb's one
        // shared cache (RocksDB's default would be a 50 MiB cache per store); memtables are charged to it
        assertThat(result.rocksDb().blockCacheCapacity()).isEqualTo(3 * BoundedRocksDb.TOTAL_BYTES);
    }

    @Test
    void theChangelogsReceiveEveryRingWriteAndEveryPendingWindowAndItsTombstone() throws IOException {
        // given
        var settings = new MemoryBench.Settings(DEVICES, VIBRATION.hop(), false);

        // when
        MemoryBench.Result result = MemoryBench.run(VIBRATION, settings, tmp, line -> { });

        // then: the driver commits after each record, so each of the 4 records per device logs the ring
        // once; each device's one window is logged to the pending store, then deleted (key only)
        int ring = new Windower(Windower.Shape.of(VIBRATION)).toBytes().length;
        int id = "device-000000".length();
        int pendingKey = id + 1 + 19; // device|zero-padded start
        int pendingValue = 1 + 4 + id + 8 + 8 + 4 + 4 + 64 * 3 * 4;
        assertThat(result.changelog()).isEqualTo(new MemoryBench.ChangelogTraffic(DEVICES * (4 + 2),
                DEVICES * (4L * (id + ring) + pendingKey + pendingValue + pendingKey)));
    }

    @Test
    void overThresholdEveryDeviceKeepsAnAlertStateOfTheSerializedSize() throws IOException {
        // given
        var settings = new MemoryBench.Settings(DEVICES, VIBRATION.hop(), true);

        // when
        MemoryBench.Result result = MemoryBench.run(VIBRATION, settings, tmp, line -> { });

        // then: one window over threshold per device: a run of 1 (raiseAfter is 3), stored as JSON
        double share = 2.0 / 3; // score 2 x threshold, split evenly over x, y, z
        long start = MemoryBench.START_MS;
        long end = start + 63 * 10;
        var state = new AlertState(false, 1, 0, start, end, 2.0, Map.of("x", share, "y", share, "z", share));
        int stateBytes = AlertState.serde().serializer().serialize(null, state).length;
        var names = new DetectorTopology.Names(VIBRATION.name());
        assertThat(result.store(names.alertStore()))
                .isEqualTo(new MemoryBench.StoreSize(names.alertStore(), DEVICES, idBytes(DEVICES),
                        (long) DEVICES * stateBytes));
    }

    @Test
    void reportsRocksDbMemoryAndTheFlushedStateDirectory() throws IOException {
        // given
        var settings = new MemoryBench.Settings(DEVICES, VIBRATION.hop(), false);

        // when
        MemoryBench.Result result = MemoryBench.run(VIBRATION, settings, tmp, line -> { });

        // then: RocksDB's figures were found for all three stores, the flush reached RocksDB, and the
        // flushed and the compacted window store are on disk
        assertThat(result.rocksDb().stores()).isEqualTo(3);
        assertThat(result.rocksDb().blockCacheCapacity()).isPositive();
        assertThat(result.disk().flushed()).isTrue();
        assertThat(result.disk().flushedBytes()).isGreaterThan(DEVICES * 1361L);
        assertThat(result.disk().compactedBytes()).isGreaterThan(DEVICES * 1361L);
    }

    @Test
    void reportsProgressUpToTheLastRecord() throws IOException {
        // given
        List<String> lines = new ArrayList<>();

        // when
        MemoryBench.run(VIBRATION, new MemoryBench.Settings(DEVICES, 64, false), tmp, lines::add);

        // then: one record per device
        assertThat(lines).last().asString().startsWith("5 devices: 100 % (5 of 5 records,");
    }

    private static long idBytes(int devices) {
        long bytes = 0;
        for (int d = 0; d < devices; d++) {
            bytes += MemoryBench.deviceId(d).getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }
}
