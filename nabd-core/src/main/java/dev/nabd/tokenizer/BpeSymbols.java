package dev.nabd.tokenizer;

/**
 * The symbols of one word as a doubly linked list over arrays (a merged-away symbol has length 0),
 * and the merge loop both BPE flavours run over them: a priority queue of adjacent pairs that may
 * merge, best first and leftmost on ties, so that a word of n symbols takes O(n log n).
 */
final class BpeSymbols {
    /** How a BPE flavour chooses merges. */
    @FunctionalInterface
    interface Pairs {
        /** Queues adjacent symbols {@code left} and {@code right} with {@link #push} if they may merge. */
        void offer(BpeSymbols s, int left, int right);

        /** Called just before symbol {@code right} joins {@code left}. */
        default void joining(BpeSymbols s, int left, int right) {
        }
    }

    final int[] sym;
    final int[] start;
    final int[] len;
    final int[] prev;
    final int[] next;
    private final PairQueue queue = new PairQueue();

    BpeSymbols(int n) {
        sym = new int[n];
        start = new int[n];
        len = new int[n];
        prev = new int[n];
        next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = i;
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
    }

    /** Queues the pair {@code left, right} with {@code priority} (smaller merges first). */
    void push(int priority, int left, int right) {
        queue.push(PairQueue.key(priority, left), ((long) right << 32) | (len[left] + len[right]));
    }

    /**
     * Merges until no queued pair is left: the best pair joins unless it is stale (a side was merged
     * away or grew since it was queued), then the joined symbol's pairs with its neighbours are offered.
     */
    void mergeAll(Pairs pairs) {
        for (int i = 1; i < len.length; i++) {
            pairs.offer(this, i - 1, i);
        }
        while (!queue.isEmpty()) {
            int left = (int) queue.topKey();
            int right = (int) (queue.topPayload() >>> 32);
            int size = (int) queue.topPayload();
            queue.pop();
            if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != size) {
                continue;
            }
            pairs.joining(this, left, right);
            merge(left, right);
            if (prev[left] >= 0) {
                pairs.offer(this, prev[left], left);
            }
            if (next[left] >= 0) {
                pairs.offer(this, left, next[left]);
            }
        }
    }

    /** Appends symbol {@code right} to its left neighbour {@code left}. */
    private void merge(int left, int right) {
        len[left] += len[right];
        len[right] = 0;
        next[left] = next[right];
        if (next[right] >= 0) {
            prev[next[right]] = left;
        }
    }
}
