package io.vigil.bench;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * RocksDB's own account of its native memory, summed over a task's persistent stores, as Kafka
 * Streams exposes it (KIP-607 property metrics, recording level INFO, group
 * {@value #GROUP}). Off-heap: none of it shows in the Java heap.
 *
 * @param memTables          {@code cur-size-all-mem-tables}: active and unflushed immutable memtables
 * @param tableReaders       {@code estimate-table-readers-mem}: SST index and filter blocks held outside the cache
 * @param blockCacheUsage    {@code block-cache-usage}: bytes in the block caches
 * @param blockCacheCapacity {@code block-cache-capacity}: what the block caches may grow to
 * @param stores             stores that reported (0: the metrics were not found)
 */
public record RocksDbMemory(long memTables, long tableReaders, long blockCacheUsage, long blockCacheCapacity,
                            int stores) {

    static final String GROUP = "stream-state-metrics";
    static final String MEM_TABLES = "cur-size-all-mem-tables";
    static final String TABLE_READERS = "estimate-table-readers-mem";
    static final String BLOCK_CACHE_USAGE = "block-cache-usage";
    static final String BLOCK_CACHE_CAPACITY = "block-cache-capacity";

    /** Native bytes RocksDB holds now: memtables, table readers and block cache contents. */
    public long total() {
        return memTables + tableReaders + blockCacheUsage;
    }

    static RocksDbMemory of(Map<MetricName, ? extends Metric> metrics) {
        long memTables = 0;
        long readers = 0;
        long cacheUsage = 0;
        long cacheCapacity = 0;
        int stores = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (!GROUP.equals(name.group()) || !(entry.getValue().metricValue() instanceof Number number)) {
                continue;
            }
            long value = number.longValue();
            switch (name.name()) {
                case MEM_TABLES -> {
                    memTables += value;
                    stores++;
                }
                case TABLE_READERS -> readers += value;
                case BLOCK_CACHE_USAGE -> cacheUsage += value;
                case BLOCK_CACHE_CAPACITY -> cacheCapacity += value;
                default -> { }
            }
        }
        return new RocksDbMemory(memTables, readers, cacheUsage, cacheCapacity, stores);
    }
}
