package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Cuts the text of special tokens out of raw text before any other tokenization, as llama.cpp's
 * {@code tokenizer_st_partition}: control, user-defined and unknown tokens, longest text first, each
 * splitting every remaining text fragment at all its occurrences. Control and unknown tokens are only
 * recognised with {@code parseSpecial}; user-defined tokens always are (as Hugging Face does for
 * non-special added tokens). Tokens with the LSTRIP/RSTRIP attribute swallow adjacent ASCII whitespace.
 * The text between tokens then goes through the normalizer (GGUF SentencePiece vocabularies: the space
 * prefix and U+2581 for spaces).
 *
 * <p>This is the added-token stage of the GGUF tokenizers. Hugging Face's {@link AddedVocabulary} finds
 * tokens leftmost-longest instead of longest-first, which can cut overlapping tokens differently.
 */
final class SpecialTokenSplitter implements AddedTokenSplitter {

    /**
     * A piece of the partitioned text: a special token, or the raw text {@code [start, end)} to be
     * tokenized normally.
     */
    record Fragment(int token, int start, int end) {
        boolean isToken() {
            return token >= 0;
        }
    }

    private final Vocabulary vocab;
    /** Candidate tokens, longest text first (ties by id: llama.cpp's unstable sort leaves them unordered). */
    private final int[] specials;
    /** The candidates' texts, to find in one pass which of them occur in a text at all. */
    private final TrieNode trie = new TrieNode();

    private final Normalizer normalizer;

    SpecialTokenSplitter(Vocabulary vocab, Normalizer normalizer) {
        this.vocab = vocab;
        this.normalizer = normalizer;
        int special = TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN;
        this.specials = IntStream.range(0, vocab.size())
                .filter(id -> vocab.has(id, special))
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -vocab.text(id).length()).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue)
                .toArray();
        for (int id : specials) {
            trie.insert(vocab.text(id), id);
        }
    }

    @Override
    public void split(String text, boolean parseSpecial, Sink out) {
        for (Fragment f : split(text, parseSpecial)) {
            if (f.isToken()) {
                out.token(f.token());
            } else {
                String normalized = normalizer.normalize(text.substring(f.start(), f.end()));
                if (!normalized.isEmpty()) {
                    out.text(normalized, f.start() == 0);
                }
            }
        }
    }

    /** {@code text} as fragments, in order; empty text gives no fragments. */
    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment(-1, 0, text.length()));
        BitSet present = trie.occurring(text);
        if (present.isEmpty()) {
            return fragments;
        }
        for (int id : specials) {
            if (!present.get(id) || (!parseSpecial && vocab.has(id, TokenAttr.CONTROL | TokenAttr.UNKNOWN))) {
                continue; // most special tokens never occur: only those found are searched for
            }
            String token = vocab.text(id);
            List<Fragment> next = new ArrayList<>(fragments.size() + 4);
            for (Fragment f : fragments) {
                if (f.isToken()) {
                    next.add(f);
                } else {
                    cut(text, f.start(), f.end(), id, token, next);
                }
            }
            fragments = next;
        }
        return fragments;
    }

    /** Splits raw text {@code [start, end)} at every occurrence of {@code token}. */
    private void cut(String text, int start, int end, int id, String token, List<Fragment> out) {
        boolean lstrip = vocab.has(id, TokenAttr.LSTRIP);
        boolean rstrip = vocab.has(id, TokenAttr.RSTRIP);
        int base = start;
        while (base < end) {
            int match = text.indexOf(token, base, end);
            if (match < 0) {
                break;
            }
            int leftEnd = match;
            if (lstrip) {
                while (leftEnd > base && isSpace(text.charAt(leftEnd - 1))) {
                    leftEnd--;
                }
            }
            if (leftEnd > base) {
                out.add(new Fragment(-1, base, leftEnd));
            }
            out.add(new Fragment(id, match, match + token.length()));
            base = match + token.length();
            if (rstrip) {
                while (base < end && isSpace(text.charAt(base))) {
                    base++;
                }
            }
        }
        if (base < end) {
            out.add(new Fragment(-1, base, end));
        }
    }

    /** C's {@code isspace} in the "C" locale, which llama.cpp uses for LSTRIP/RSTRIP. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** A character trie of the candidate texts. */
    private static final class TrieNode {
        private final Map<Character, TrieNode> children = new HashMap<>(4);
        private int token = -1;

        void insert(String text, int id) {
            TrieNode node = this;
            for (int i = 0; i < text.length(); i++) {
                node = node.children.computeIfAbsent(text.charAt(i), c -> new TrieNode());
            }
            node.token = id;
        }

        /** The ids of the candidates that occur somewhere in {@code text}. */
        BitSet occurring(String text) {
            BitSet found = new BitSet();
            for (int start = 0; start < text.length(); start++) {
                TrieNode node = children.get(text.charAt(start));
                for (int i = start + 1; node != null; i++) {
                    if (node.token >= 0) {
                        found.set(node.token);
                    }
                    node = i < text.length() ? node.children.get(text.charAt(i)) : null;
                }
            }
            return found;
        }
    }
}
