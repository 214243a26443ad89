package dev.nabd.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of candidate merges for the BPE loops: each entry is a long key (merge priority in
 * the high 32 bits, left symbol index in the low 32, so ties go to the leftmost pair, as in llama.cpp)
 * and a long payload. Primitive arrays, no boxing.
 */
final class PairQueue {
    private long[] keys = new long[64];
    private long[] payloads = new long[64];
    private int size;

    /** The key for priority {@code priority} (smaller first) of the pair starting at symbol {@code left}. */
    static long key(int priority, int left) {
        return ((long) priority << 32) | (left & 0xFFFFFFFFL);
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(long key, long payload) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        keys[i] = key;
        payloads[i] = payload;
    }

    long topKey() {
        return keys[0];
    }

    long topPayload() {
        return payloads[0];
    }

    void pop() {
        long key = keys[--size];
        long payload = payloads[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            payloads[i] = payloads[child];
            i = child;
        }
        keys[i] = key;
        payloads[i] = payload;
    }
}
