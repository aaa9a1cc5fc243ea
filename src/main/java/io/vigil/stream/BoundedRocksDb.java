package io.vigil.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the native memory of every RocksDB store in the process. By default each store (three per
 * task and sensor kind) gets its own 50 MiB block cache and up to three 16 MiB memtables, so the
 * bound grows with partitions and kinds, and the process's resident memory creeps up for a long
 * time as memtables fill. Here all stores share one block cache, memtables are charged to it, and
 * index and filter blocks live in it too: RocksDB holds at most {@link #TOTAL_BYTES} whatever the
 * number of stores (Kafka Streams' documented pattern for bounded memory).
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Block cache, memtables, index and filter blocks of all stores together. */
    public static final long TOTAL_BYTES = 64L << 20;
    /** Of which memtables at most. */
    public static final long MEMTABLE_BYTES = 16L << 20;
    /** Share of the cache kept for index and filter blocks. */
    private static final double INDEX_AND_FILTER_SHARE = 0.1;

    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, INDEX_AND_FILTER_SHARE);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store and live as long as the process
    }
}
