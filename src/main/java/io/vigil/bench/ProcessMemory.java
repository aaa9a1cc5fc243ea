package io.vigil.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This JVM's memory as the memory benchmark reads it: Java heap in use after a full collection, and
 * the process's resident set (heap pages touched, RocksDB, thread stacks, metaspace, everything).
 *
 * @param heapBytes          heap in use right after {@link System#gc()} (a full collection under G1)
 * @param heapCommittedBytes heap the JVM holds from the OS at that moment (used or not)
 * @param rssBytes           {@code VmRSS} of {@code /proc/self/status}; -1 where there is no procfs
 */
public record ProcessMemory(long heapBytes, long heapCommittedBytes, long rssBytes) {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path SMAPS_ROLLUP = Path.of("/proc/self/smaps_rollup");
    /** Collections until the heap in use stops shrinking by more than this share. */
    private static final double SETTLED = 0.005;
    private static final int MAX_COLLECTIONS = 5;
    private static final int RSS_POLLS = 20;
    private static final long RSS_POLL_MS = 250;
    private static final long RSS_SETTLED_BYTES = 1 << 20;

    /** Collects garbage until the heap in use settles, then reads heap and RSS. */
    static ProcessMemory afterFullGc() {
        MemoryUsage heap = null;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            boolean settled = heap != null && heap.getUsed() - now.getUsed() < SETTLED * now.getUsed();
            heap = now;
            if (settled) {
                break;
            }
        }
        return new ProcessMemory(heap.getUsed(), heap.getCommitted(), settledRss());
    }

    /**
     * G1 gives the regions a full collection freed back to the OS in the background, after the
     * collection returns: read RSS once it has stopped falling.
     */
    private static long settledRss() {
        long rss = rss();
        for (int i = 0; i < RSS_POLLS && rss >= 0; i++) {
            try {
                Thread.sleep(RSS_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = rss();
            boolean settled = rss - now < RSS_SETTLED_BYTES;
            rss = Math.min(rss, now);
            if (settled) {
                break;
            }
        }
        return rss;
    }

    ProcessMemory minus(ProcessMemory baseline) {
        return new ProcessMemory(heapBytes - baseline.heapBytes, heapCommittedBytes - baseline.heapCommittedBytes,
                rssBytes < 0 || baseline.rssBytes < 0 ? -1 : rssBytes - baseline.rssBytes);
    }

    /**
     * RSS not explained by committed heap: native memory (RocksDB above all), stacks, metaspace. Only
     * meaningful when {@link #rssBytes} is known (not -1); a difference may be negative.
     */
    public long rssOutsideHeapBytes() {
        return rssBytes - heapCommittedBytes;
    }

    /** This process's resident set now, bytes; -1 where there is no procfs. */
    static long rss() {
        return procBytes(STATUS, "VmRSS:");
    }

    /**
     * The anonymous part of the resident set, bytes (heap, malloc'd native memory such as RocksDB's,
     * thread stacks), without file pages mapped in (jars, an in-process Kafka broker's index files);
     * -1 where there is no procfs.
     */
    static long anonymousRss() {
        return procBytes(SMAPS_ROLLUP, "Anonymous:");
    }

    private static long procBytes(Path file, String field) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // reported in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
