package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code AddedVocabulary}: finds added tokens in the text before normalization (tokens with
 * {@code normalized = false}) and then in each normalized stretch between them ({@code normalized = true},
 * matched in their normalized form), leftmost-longest first, with the tokens' flags:
 * <ul>
 *   <li>{@code special}: skipped when special tokens are not parsed ({@code split_special_tokens}) — the
 *       match still uses up its text, as Hugging Face's automaton does;</li>
 *   <li>{@code single_word}: only where no word character ({@code \w}) touches either end;</li>
 *   <li>{@code lstrip} / {@code rstrip}: whitespace before / after the token belongs to it.</li>
 * </ul>
 */
final class AddedVocabulary implements AddedTokenSplitter {

    /** One entry of tokenizer.json's {@code added_tokens}, with the id Hugging Face gives it. */
    record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean normalized,
                      boolean singleWord) {
    }

    private final List<AddedToken> byPattern = new ArrayList<>();
    private final CharTrie raw = new CharTrie();
    private final CharTrie normalizedTrie = new CharTrie();
    private final Normalizer normalizer;

    /**
     * @param tokens special tokens first, then the others, each in file order (the order Hugging Face
     *               builds its matchers in; it decides nothing here but is kept)
     */
    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        this.normalizer = normalizer;
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            int index = byPattern.size();
            byPattern.add(t);
            if (t.normalized()) {
                String pattern = normalizer.normalize(t.content());
                if (!pattern.isEmpty()) {
                    normalizedTrie.insert(pattern, index);
                }
            } else {
                raw.insert(t.content(), index);
            }
        }
    }

    @Override
    public void split(String text, boolean parseSpecial, Sink out) {
        // 1: tokens written as is, in the raw text; 2: normalize the rest, find the normalized tokens there
        find(text, raw, parseSpecial, true, (id, s, e, atStart) -> {
            if (id >= 0) {
                out.token(id);
                return;
            }
            String normalized = normalizer.normalize(text.substring(s, e));
            find(normalized, normalizedTrie, parseSpecial, atStart, (id2, s2, e2, atStart2) -> {
                if (id2 >= 0) {
                    out.token(id2);
                } else {
                    out.text(normalized.substring(s2, e2), atStart2);
                }
            });
        });
    }

    @FunctionalInterface
    private interface Pieces {
        /** A token ({@code id ≥ 0}) or the text {@code [start, end)} ({@code id < 0}, never empty). */
        void piece(int id, int start, int end, boolean atStart);
    }

    /** Hugging Face's {@code find_matches}, piece by piece. */
    private void find(String s, CharTrie trie, boolean parseSpecial, boolean atStart, Pieces out) {
        int offset = 0; // end of the last piece handed out
        int pos = 0;
        while (pos < s.length()) {
            if (!trie.startsWith(s.charAt(pos))) {
                pos++;
                continue;
            }
            // leftmost-longest: the first position where some token starts, its longest token there
            int matchEnd = -1;
            int pattern = -1;
            int node = trie.child(CharTrie.root(), s.charAt(pos));
            for (int i = pos + 1; node >= 0; i++) {
                if (trie.value(node) >= 0) {
                    matchEnd = i;
                    pattern = trie.value(node);
                }
                node = i < s.length() ? trie.child(node, s.charAt(i)) : -1;
            }
            if (pattern < 0) {
                pos++;
                continue;
            }
            int start = pos;
            int stop = matchEnd;
            pos = matchEnd;
            AddedToken t = byPattern.get(pattern);
            if (t.special() && !parseSpecial) {
                continue;
            }
            if (t.singleWord() && ((start > 0 && CharClasses.isWordChar(s.codePointBefore(start)))
                    || (stop < s.length() && CharClasses.isWordChar(s.codePointAt(stop))))) {
                continue;
            }
            if (t.lstrip()) {
                int newStart = start;
                while (newStart > 0 && CharClasses.isWhitespace(s.codePointBefore(newStart))) {
                    newStart -= Character.charCount(s.codePointBefore(newStart));
                }
                start = Math.max(newStart, offset);
            }
            if (t.rstrip()) {
                while (stop < s.length() && CharClasses.isWhitespace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
            }
            if (offset < start) {
                out.piece(-1, offset, start, atStart && offset == 0);
            }
            out.piece(t.id(), start, stop, false);
            offset = stop;
        }
        if (offset < s.length()) {
            out.piece(-1, offset, s.length(), atStart && offset == 0);
        }
    }
}
