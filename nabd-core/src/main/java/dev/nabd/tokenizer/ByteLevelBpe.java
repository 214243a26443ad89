package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE over one pre-tokenized word, as llama.cpp's {@code llm_tokenizer_bpe_session}: the
 * word's UTF-8 bytes start as one symbol each (its GPT-2 character), then the adjacent pair with the
 * lowest merge rank is merged, leftmost first on ties, until no pair has a merge. A priority queue over
 * adjacent pairs and a linked list of symbols make this O(n log n) per word.
 *
 * <p>Merges work on strings in llama.cpp, and a merge may produce a string that is not a token (it is
 * then split back into bytes at the end). Here every such string gets a symbol id above the vocabulary's
 * ids, so the loop compares ints only; a symbol below {@link Vocabulary#size()} is the token of that id.
 */
final class ByteLevelBpe {
    /** Words cached beyond this many are forgotten all at once: simple, and repeated words come back fast. */
    private static final int CACHE_LIMIT = 1 << 16;

    private final Vocabulary vocab;
    private final MergeTable merges;
    private final int[] byteSymbol = new int[256];
    private final int[] byteToken = new int[256];
    private final boolean ignoreMerges;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param merges {@code tokenizer.ggml.merges}: "left right" strings, rank = position
     * @param ignoreMerges emit a word that is itself a token whole (Llama 3's tokenizer.json
     *                     {@code ignore_merges})
     */
    ByteLevelBpe(Vocabulary vocab, String[] merges, boolean ignoreMerges) {
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
        Map<String, Integer> extra = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteUnicode.charOf(b));
            byteToken[b] = vocab.id(s);
            byteSymbol[b] = symbol(s, extra);
        }
        this.merges = new MergeTable(merges.length);
        for (int rank = 0; rank < merges.length; rank++) {
            String m = merges[rank];
            int space = m.indexOf(' ', 1);
            if (space < 0) {
                continue; // llama.cpp files such a line under an empty pair nothing can match
            }
            String left = m.substring(0, space);
            String right = m.substring(space + 1);
            this.merges.putIfAbsent(symbol(left, extra), symbol(right, extra), rank, symbol(left + right, extra));
        }
    }

    /** The symbol id of {@code s}: its token id, or a fresh id above the vocabulary. */
    private int symbol(String s, Map<String, Integer> extra) {
        int id = vocab.id(s);
        return id >= 0 ? id : extra.computeIfAbsent(s, k -> vocab.size() + extra.size());
    }

    /** Appends the tokens of one pre-tokenized word. */
    void encode(String word, IntList out) {
        int[] cached = cache.get(word);
        if (cached == null) {
            cached = encodeUncached(word.getBytes(StandardCharsets.UTF_8));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(word, cached);
        }
        out.addAll(cached);
    }

    private int[] encodeUncached(byte[] bytes) {
        int n = bytes.length;
        if (n == 0) {
            return new int[0];
        }
        if (ignoreMerges) {
            int whole = vocab.id(ByteUnicode.encode(bytes, 0, n));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        Symbols s = new Symbols(n);
        for (int i = 0; i < n; i++) {
            s.sym[i] = byteSymbol[bytes[i] & 0xFF];
        }
        PairQueue queue = new PairQueue();
        for (int i = 1; i < n; i++) {
            addPair(s, queue, i - 1, i);
        }
        while (!queue.isEmpty()) {
            int left = (int) queue.topKey();
            int right = (int) (queue.topPayload() >>> 32);
            int size = (int) queue.topPayload();
            queue.pop();
            // stale: one side was merged away or grew since the pair was queued
            if (s.len[left] == 0 || s.len[right] == 0 || s.len[left] + s.len[right] != size) {
                continue;
            }
            s.sym[left] = MergeTable.result(merges.get(s.sym[left], s.sym[right]));
            s.merge(left, right);
            addPair(s, queue, s.prev[left], left);
            addPair(s, queue, left, s.next[left]);
        }
        IntList out = new IntList(n);
        for (int i = 0; i >= 0; i = s.next[i]) {
            if (s.sym[i] < vocab.size()) {
                out.add(s.sym[i]);
            } else {
                // A merge produced a string the vocabulary lacks: fall back to the byte tokens. (llama.cpp
                // looks each UTF-8 byte of the mapped string up as a one-byte token instead, which finds
                // printable ASCII only and drops the rest; with a consistent vocabulary this never runs.)
                for (int b = s.start[i]; b < s.start[i] + s.len[i]; b++) {
                    int token = byteToken[bytes[b] & 0xFF];
                    if (token >= 0) {
                        out.add(token);
                    }
                }
            }
        }
        return out.toArray();
    }

    private void addPair(Symbols s, PairQueue queue, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        long merge = merges.get(s.sym[left], s.sym[right]);
        if (merge >= 0) {
            queue.push(PairQueue.key(MergeTable.rank(merge), left),
                    ((long) right << 32) | (s.len[left] + s.len[right]));
        }
    }

    /** The symbols of one word as a doubly linked list over arrays; a merged-away symbol has length 0. */
    static final class Symbols {
        final int[] sym;
        final int[] start;
        final int[] len;
        final int[] prev;
        final int[] next;

        Symbols(int n) {
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

        /** Appends symbol {@code right} to its left neighbour {@code left}. */
        void merge(int left, int right) {
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
        }
    }
}
