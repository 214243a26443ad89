package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPE model (Hugging Face's {@code BPE}; llama.cpp's byte-level {@code llm_tokenizer_bpe}): a word
 * starts as one symbol per character (for byte-level vocabularies the word is already in GPT-2
 * characters, one per byte), then the adjacent pair with the lowest merge rank is merged, leftmost first
 * on ties, until no pair has a merge. A priority queue over adjacent pairs and a linked list of symbols
 * make this O(n log n) per word; symbols and merges are ints, so the loop does not allocate per step, and
 * words already seen come from a cache.
 *
 * <p>Characters missing from the vocabulary become their {@code <0xXX>} byte tokens
 * ({@code byte_fallback}), else the unknown token (consecutive ones fused into one with
 * {@code fuse_unk}), else nothing, exactly as Hugging Face does. With {@code ignore_merges} a word that
 * is itself a token is that token.
 *
 * <p>The two loaders differ in one place, the merge list. Hugging Face requires every merge to produce
 * a token and lets a later duplicate win; llama.cpp merges strings, so a merge may produce a string that
 * is not a token (it gets a symbol id above the vocabulary's ids and is split back into its
 * characters' tokens at the end), and the first duplicate wins.
 */
final class Bpe implements Model, BpeSymbols.Pairs {
    /**
     * Hugging Face's options of the model.
     *
     * @param unk the unknown token's id, -1 when characters without a token are dropped, or
     *            {@link #MISSING_UNK} when tokenizer.json names an unknown token its vocabulary lacks (an
     *            error only once a word needs it, as in Hugging Face)
     * @param fuseUnk consecutive unknown characters make one unknown token
     * @param byteFallback characters without a token become their {@code <0xXX>} byte tokens
     * @param ignoreMerges a word that is a token is emitted whole
     * @param prefix {@code continuing_subword_prefix}: every character but the first is looked up with it
     * @param suffix {@code end_of_word_suffix}: the last character is looked up with it
     */
    record Options(int unk, boolean fuseUnk, boolean byteFallback, boolean ignoreMerges, String prefix, String suffix) {
        static final Options LLAMA_CPP = new Options(-1, false, false, false, "", "");
        static final int MISSING_UNK = -2;

        Options withIgnoreMerges(boolean ignore) {
            return new Options(unk, fuseUnk, byteFallback, ignore, prefix, suffix);
        }
    }

    private final StringIntMap vocab;
    private final Map<String, Integer> extra;
    private final int symbolLimit;
    private final MergeTable merges;
    private final Options options;
    private final boolean plainChars;
    /** The symbol of every BMP character looked up alone, or -1: one array read per character. */
    private final int[] bmpSymbol = new int[0x10000];
    private final int[] byteTokens = new int[256];
    private final WordCache cache = new WordCache();

    private Bpe(StringIntMap vocab, int symbolLimit, Map<String, Integer> extra, MergeTable merges, Options options) {
        this.vocab = vocab;
        this.symbolLimit = symbolLimit;
        this.extra = extra;
        this.merges = merges;
        this.options = options;
        this.plainChars = options.prefix().isEmpty() && options.suffix().isEmpty();
        for (int c = 0; c < bmpSymbol.length; c++) {
            bmpSymbol[c] = Character.isSurrogate((char) c) ? -1 : symbolOf(String.valueOf((char) c));
        }
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocab.get(String.format("<0x%02X>", b));
        }
    }

    /**
     * Hugging Face's BPE.
     *
     * @param vocab the model's vocabulary (added tokens that are not in it stay out)
     * @param symbolLimit one more than the highest id
     * @param merges the merges in rank order, each {left, right}
     * @throws TokenizerException for a merge whose parts or result are not tokens
     */
    static Bpe huggingFace(StringIntMap vocab, int symbolLimit, List<String[]> merges, Options options) {
        MergeTable table = new MergeTable(merges.size());
        int prefixLength = options.prefix().length();
        for (int rank = 0; rank < merges.size(); rank++) {
            String left = merges.get(rank)[0];
            String right = merges.get(rank)[1];
            int l = vocab.get(left);
            int r = vocab.get(right);
            if (l < 0 || r < 0) {
                throw new TokenizerException("merge " + rank + " '" + left + " " + right + "': '" + (l < 0 ? left : right)
                        + "' is not in the vocabulary");
            }
            if (right.length() < prefixLength) {
                throw new TokenizerException("merge " + rank + " '" + left + " " + right
                        + "': the right part is shorter than the continuing_subword_prefix");
            }
            String merged = left + right.substring(prefixLength);
            int result = vocab.get(merged);
            if (result < 0) {
                throw new TokenizerException("merge " + rank + " '" + left + " " + right + "': '" + merged
                        + "' is not in the vocabulary");
            }
            table.put(l, r, rank, result, true);
        }
        return new Bpe(vocab, symbolLimit, Map.of(), table, options);
    }

    /**
     * llama.cpp's byte-level BPE over a GGUF vocabulary.
     *
     * @param merges {@code tokenizer.ggml.merges}: "left right" strings, rank = position
     * @param ignoreMerges emit a word that is itself a token whole (Llama 3)
     */
    static Bpe llamaCpp(Vocabulary vocab, String[] merges, boolean ignoreMerges) {
        StringIntMap ids = vocab.ids();
        int limit = vocab.size();
        Map<String, Integer> extra = new HashMap<>();
        MergeTable table = new MergeTable(merges.length);
        for (int rank = 0; rank < merges.length; rank++) {
            String m = merges[rank];
            int space = m.indexOf(' ', 1);
            if (space < 0) {
                continue; // llama.cpp files such a line under an empty pair nothing can match
            }
            String left = m.substring(0, space);
            String right = m.substring(space + 1);
            table.put(symbol(ids, limit, extra, left), symbol(ids, limit, extra, right), rank,
                    symbol(ids, limit, extra, left + right), false);
        }
        // the bytes' own strings may be missing from an odd vocabulary: they are symbols all the same
        for (int b = 0; b < 256; b++) {
            symbol(ids, limit, extra, String.valueOf(ByteUnicode.charOf(b)));
        }
        return new Bpe(ids, limit, Map.copyOf(extra), table, Options.LLAMA_CPP.withIgnoreMerges(ignoreMerges));
    }

    /** The symbol id of {@code s}: its token id, or a fresh id at or above {@code limit}. */
    private static int symbol(StringIntMap ids, int limit, Map<String, Integer> extra, String s) {
        int id = ids.get(s);
        return id >= 0 ? id : extra.computeIfAbsent(s, k -> limit + extra.size());
    }

    private int symbolOf(String s) {
        int id = vocab.get(s);
        if (id < 0) {
            Integer e = extra.get(s);
            return e == null ? -1 : e;
        }
        return id;
    }

    @Override
    public void tokenize(String word, IntList out) {
        if (options.ignoreMerges()) {
            int whole = vocab.get(word);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        out.addAll(cache.ids(word, this::merge));
    }

    private int[] merge(String word) {
        IntList initial = initialSymbols(word);
        int n = initial.size();
        if (n == 0) {
            return new int[0];
        }
        BpeSymbols s = new BpeSymbols(n);
        for (int i = 0; i < n; i++) {
            s.sym[i] = initial.get(i);
        }
        s.mergeAll(this);
        IntList out = new IntList(n);
        for (int i = 0; i >= 0; i = s.next[i]) {
            if (s.sym[i] < symbolLimit) {
                out.add(s.sym[i]);
                continue;
            }
            // A merge produced a string that is not a token (llama.cpp only): its characters' tokens.
            // (llama.cpp looks each UTF-8 byte of the mapped string up as a one-byte token instead, which
            // finds printable ASCII only; with a consistent vocabulary this never runs.)
            for (int k = s.start[i]; k < s.start[i] + s.len[i]; k++) {
                if (initial.get(k) < symbolLimit) {
                    out.add(initial.get(k));
                }
            }
        }
        return out.toArray();
    }

    /** One symbol per character, or per byte (byte fallback), or one per run of unknown characters. */
    private IntList initialSymbols(String word) {
        IntList syms = new IntList(word.length());
        int pendingUnk = -1;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            int id;
            String piece = null;
            if (plainChars) {
                id = cp < 0x10000 ? bmpSymbol[cp] : symbolOf(word.substring(i, next));
            } else {
                piece = (i > 0 ? options.prefix() : "") + word.substring(i, next)
                        + (next == word.length() ? options.suffix() : "");
                id = symbolOf(piece);
            }
            i = next;
            if (id >= 0) {
                if (pendingUnk >= 0) {
                    syms.add(pendingUnk);
                    pendingUnk = -1;
                }
                syms.add(id);
                continue;
            }
            if (options.byteFallback()) {
                byte[] bytes = (piece != null ? piece : new String(Character.toChars(cp))).getBytes(StandardCharsets.UTF_8);
                if (allHaveByteTokens(bytes)) {
                    // Hugging Face adds these before a pending unknown token, which comes later: kept.
                    for (byte b : bytes) {
                        syms.add(byteTokens[b & 0xFF]);
                    }
                    continue;
                }
            }
            if (options.unk() == Options.MISSING_UNK) {
                throw new TokenizerException("the BPE model's unk_token is not in its vocabulary, and '"
                        + new String(Character.toChars(cp)) + "' needs it");
            }
            if (options.unk() >= 0) {
                if (pendingUnk >= 0 && !options.fuseUnk()) {
                    syms.add(pendingUnk);
                }
                pendingUnk = options.unk();
            }
        }
        if (pendingUnk >= 0) {
            syms.add(pendingUnk);
        }
        return syms;
    }

    private boolean allHaveByteTokens(byte[] bytes) {
        for (byte b : bytes) {
            if (byteTokens[b & 0xFF] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Pairs merge by the rank of their merge, and the merged symbol is the merge's result. */
    @Override
    public void offer(BpeSymbols s, int left, int right) {
        long merge = merges.get(s.sym[left], s.sym[right]);
        if (merge >= 0) {
            s.push(MergeTable.rank(merge), left, right);
        }
    }

    @Override
    public void joining(BpeSymbols s, int left, int right) {
        s.sym[left] = MergeTable.result(merges.get(s.sym[left], s.sym[right]));
    }
}
