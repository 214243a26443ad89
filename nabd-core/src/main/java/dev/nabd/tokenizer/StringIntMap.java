package dev.nabd.tokenizer;

import java.util.Arrays;

/**
 * A map from strings to non-negative ints with open addressing: the token lookups of the tokenizer
 * models run once per character or candidate merge, and a {@code HashMap<String, Integer>} would cost a
 * node and a boxed value per entry and a pointer chase per lookup. Built once, then only read, so it is
 * safe to share between threads.
 */
final class StringIntMap {
    private String[] keys;
    private int[] values;
    private int mask;
    private int size;

    StringIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B1;
    }

    /** Maps {@code key} to {@code value} (≥ 0); returns the previous value, or -1. */
    int put(String key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = spread(key.hashCode()) & mask;
        while (keys[i] != null) {
            if (keys[i].equals(key)) {
                int old = values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return -1;
    }

    /** The value of {@code key}, or -1. */
    int get(String key) {
        int i = spread(key.hashCode()) & mask;
        while (true) {
            String k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.equals(key)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
        Arrays.fill(oldKeys, null);
    }
}
