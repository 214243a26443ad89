package dev.nabd.tokenizer;

import java.util.Arrays;

/**
 * A trie of strings over UTF-16 chars, each string with an int value: the added tokens to find in text,
 * and the pieces of a Unigram vocabulary. Edges live in one open-addressing table keyed by
 * (node, char), so a large vocabulary costs a few arrays rather than an object per node. Read-only once
 * built, so safe to share between threads.
 */
final class CharTrie {
    private static final long EMPTY = -1L;

    private long[] edgeKeys = new long[64];
    private int[] edgeChild = new int[64];
    private int edges;
    private int[] values = new int[16];
    private int nodes = 1;
    /** The chars strings start with, one bit each: most text positions are ruled out by one array read. */
    private final long[] firstChars = new long[1 << 10];

    CharTrie() {
        Arrays.fill(edgeKeys, EMPTY);
        Arrays.fill(values, -1);
    }

    /** The root, where every search starts. */
    static int root() {
        return 0;
    }

    /** Adds {@code s} with {@code value} (≥ 0), replacing the value of an equal string. */
    void insert(String s, int value) {
        if (!s.isEmpty()) {
            firstChars[s.charAt(0) >>> 6] |= 1L << s.charAt(0);
        }
        int node = 0;
        for (int i = 0; i < s.length(); i++) {
            int next = child(node, s.charAt(i));
            if (next < 0) {
                next = newNode();
                putEdge(node, s.charAt(i), next);
            }
            node = next;
        }
        values[node] = value;
    }

    /** Whether some string starts with {@code c}. */
    boolean startsWith(char c) {
        return (firstChars[c >>> 6] & (1L << c)) != 0;
    }

    /** The node reached from {@code node} by {@code c}, or -1. */
    int child(int node, char c) {
        long key = key(node, c);
        int mask = edgeKeys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = edgeKeys[i];
            if (k == key) {
                return edgeChild[i];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    /** The value of the string that ends at {@code node}, or -1 when none does. */
    int value(int node) {
        return values[node];
    }

    private int newNode() {
        if (nodes == values.length) {
            int old = values.length;
            values = Arrays.copyOf(values, old * 2);
            Arrays.fill(values, old, values.length, -1);
        }
        return nodes++;
    }

    private void putEdge(int node, char c, int child) {
        if ((edges + 1) * 2 > edgeKeys.length) {
            long[] oldKeys = edgeKeys;
            int[] oldChild = edgeChild;
            edgeKeys = new long[oldKeys.length * 2];
            edgeChild = new int[oldKeys.length * 2];
            Arrays.fill(edgeKeys, EMPTY);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    place(oldKeys[i], oldChild[i]);
                }
            }
        }
        place(key(node, c), child);
        edges++;
    }

    private void place(long key, int child) {
        int mask = edgeKeys.length - 1;
        int i = slot(key, mask);
        while (edgeKeys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        edgeKeys[i] = key;
        edgeChild[i] = child;
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
