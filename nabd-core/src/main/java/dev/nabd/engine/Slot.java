package dev.nabd.engine;

import dev.nabd.model.KvCache;

/**
 * One sequence's place in the engine: a KV cache of the whole context and the tokens whose keys and
 * values it holds. The tokens outlive the request that wrote them, so the next request that starts with
 * the same tokens (a shared system prompt, the next turn of a chat) reuses them: the prefix cache.
 */
final class Slot {
    final KvCache cache;
    final int[] tokens;
    /** Positions of {@link #cache} that hold the keys and values of {@code tokens[0 .. length)}. */
    int length;
    /** When the slot was last given out, to pick the least recently used one. */
    long lastUsed;
    boolean busy;

    Slot(KvCache cache) {
        this.cache = cache;
        this.tokens = new int[cache.contextLength()];
    }

    /** How many leading tokens of {@code prompt} this slot already holds. */
    int commonPrefix(int[] prompt) {
        int n = Math.min(length, prompt.length);
        int i = 0;
        while (i < n && tokens[i] == prompt[i]) {
            i++;
        }
        return i;
    }
}
