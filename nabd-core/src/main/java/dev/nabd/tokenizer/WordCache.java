package dev.nabd.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The token ids of words a model has already tokenized (Hugging Face's BPE cache): text repeats its
 * words, so most words of a prompt are found here. Thread-safe.
 */
final class WordCache {
    /** Words longer than this are not cached (Hugging Face's limit too): they rarely repeat. */
    private static final int MAX_WORD = 256;
    /** Words cached beyond this many are forgotten all at once: simple, and repeated words come back fast. */
    private static final int LIMIT = 1 << 16;

    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /** The ids of {@code word}, from the cache or from {@code tokenize} (then cached). Callers must not change them. */
    int[] ids(String word, Function<String, int[]> tokenize) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = tokenize.apply(word);
            if (word.length() < MAX_WORD) {
                if (cache.size() >= LIMIT) {
                    cache.clear();
                }
                cache.put(word, ids);
            }
        }
        return ids;
    }
}
