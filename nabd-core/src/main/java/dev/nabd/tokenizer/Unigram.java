package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Unigram model (SentencePiece unigram; Hugging Face's {@code Unigram}): the segmentation of a word
 * into pieces with the highest total score, found by Viterbi over the positions of the word. A character
 * no piece starts with costs the lowest score minus 10 and is the unknown token (consecutive unknown
 * characters fused into one unknown token), or, with byte fallback, its {@code <0xXX>} byte tokens.
 * Ties go to the segmentation found first (shorter pieces first), as in Hugging Face.
 */
final class Unigram implements Model {
    /** Hugging Face's penalty below the lowest piece score for an unknown character. */
    private static final double UNK_PENALTY = 10.0;
    private static final int CACHE_MAX_WORD = 256;
    private static final int CACHE_LIMIT = 1 << 16;

    private final StringIntMap ids;
    private final double[] scores;
    private final CharTrie trie = new CharTrie();
    private final int unk;
    private final boolean byteFallback;
    private final boolean fuseUnk;
    private final double unkScore;
    private final int[] byteTokens = new int[256];
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param pieces the pieces by id
     * @param scores their log-probabilities
     * @param unk the unknown piece's id, or -1 (an error once a word needs it)
     */
    Unigram(String[] pieces, double[] scores, int unk, boolean byteFallback, boolean fuseUnk) {
        this.scores = scores.clone();
        this.unk = unk;
        this.byteFallback = byteFallback;
        this.fuseUnk = fuseUnk;
        this.ids = new StringIntMap(pieces.length);
        double min = Double.POSITIVE_INFINITY;
        for (int id = 0; id < pieces.length; id++) {
            ids.put(pieces[id], id); // a repeated piece: the last id wins, as in Hugging Face's map
            trie.insert(pieces[id], id);
            min = Math.min(min, scores[id]);
        }
        this.unkScore = (pieces.length == 0 ? 0 : min) - UNK_PENALTY;
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = ids.get(String.format("<0x%02X>", b));
        }
    }

    @Override
    public void tokenize(String word, IntList out) {
        int[] cached = cache.get(word);
        if (cached == null) {
            cached = segment(word);
            if (word.length() < CACHE_MAX_WORD) {
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(word, cached);
            }
        }
        out.addAll(cached);
    }

    private int[] segment(String word) {
        int n = word.length();
        double[] best = new double[n + 1];
        int[] from = new int[n + 1];
        int[] token = new int[n + 1];
        java.util.Arrays.fill(from, -1);
        for (int start = 0; start < n; ) {
            if (start > 0 && from[start] < 0) {
                start++; // inside a surrogate pair: not a position
                continue;
            }
            double base = best[start];
            int charLen = Character.charCount(word.codePointAt(start));
            boolean single = false;
            int node = CharTrie.root();
            for (int end = start; end < n; end++) {
                node = trie.child(node, word.charAt(end));
                if (node < 0) {
                    break;
                }
                int id = trie.value(node);
                if (id < 0) {
                    continue;
                }
                int to = end + 1;
                double score = base + scores[id];
                if (from[to] < 0 || score > best[to]) {
                    best[to] = score;
                    from[to] = start;
                    token[to] = id;
                }
                single |= to - start == charLen;
            }
            if (!single) {
                int to = start + charLen;
                double score = base + unkScore;
                if (from[to] < 0 || score > best[to]) {
                    best[to] = score;
                    from[to] = start;
                    token[to] = -1; // unknown
                }
            }
            start += charLen;
        }
        // Back from the end; unknown stretches fuse when fuse_unk
        IntList reversed = new IntList(8);
        StringBuilder unknownRun = null;
        java.util.List<String> unknownTexts = new java.util.ArrayList<>();
        for (int end = n; end > 0; ) {
            int start = from[end];
            boolean unknown = token[end] < 0 || token[end] == unk;
            if (unknown && fuseUnk && unk >= 0) {
                unknownRun = unknownRun == null ? new StringBuilder() : unknownRun;
                unknownRun.insert(0, word, start, end);
            } else {
                if (unknownRun != null) {
                    reversed.add(-1 - unknownTexts.size());
                    unknownTexts.add(unknownRun.toString());
                    unknownRun = null;
                }
                if (token[end] >= 0) {
                    reversed.add(token[end]);
                } else {
                    reversed.add(-1 - unknownTexts.size());
                    unknownTexts.add(word.substring(start, end));
                }
            }
            end = start;
        }
        if (unknownRun != null) {
            reversed.add(-1 - unknownTexts.size());
            unknownTexts.add(unknownRun.toString());
        }
        IntList out = new IntList(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            int t = reversed.get(i);
            if (t >= 0) {
                out.add(t);
            } else {
                addUnknown(unknownTexts.get(-1 - t), out);
            }
        }
        return out.toArray();
    }

    /** A stretch no piece covers: its own id if it happens to be a piece, its byte tokens, or UNK. */
    private void addUnknown(String text, IntList out) {
        int id = ids.get(text);
        if (id >= 0) {
            out.add(id);
            return;
        }
        if (byteFallback) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean all = true;
            for (byte b : bytes) {
                all &= byteTokens[b & 0xFF] >= 0;
            }
            if (all) {
                for (byte b : bytes) {
                    out.add(byteTokens[b & 0xFF]);
                }
                return;
            }
        }
        if (unk < 0) {
            throw new TokenizerException("the Unigram model has no unk_id, and '" + text + "' needs it");
        }
        out.add(unk);
    }
}
