package dev.nabd.tokenizer;

import java.util.Arrays;

/**
 * The BPE merges as an open-addressing hash table from a pair of symbol ids to the merge's rank and the
 * symbol it produces: one probe per candidate pair, no strings and no boxing in the merge loop.
 */
final class MergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final int shift;
    private int size;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
        shift = Long.numberOfLeadingZeros(capacity) + 1; // 64 - log2(capacity)
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: the top bits
    }

    /**
     * Adds merge {@code left right → result} with {@code rank}. A pair already present is replaced when
     * {@code replace} (a later duplicate wins, as in Hugging Face's hash map), else kept (the first wins,
     * as in llama.cpp).
     */
    void put(int left, int right, int rank, int result, boolean replace) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("merge table full");
        }
        long key = pair(left, right);
        int i = slot(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                if (replace) {
                    values[i] = ((long) rank << 32) | (result & 0xFFFFFFFFL);
                }
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = ((long) rank << 32) | (result & 0xFFFFFFFFL);
        size++;
    }

    /** {@code rank << 32 | result} for the pair, or -1. */
    long get(int left, int right) {
        long key = pair(left, right);
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    static int rank(long entry) {
        return (int) (entry >>> 32);
    }

    static int result(long entry) {
        return (int) entry;
    }
}
