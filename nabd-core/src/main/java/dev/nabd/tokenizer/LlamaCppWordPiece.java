package dev.nabd.tokenizer;

import java.util.List;

/**
 * The stages of llama.cpp's WordPiece tokenizer for GGUF {@code bert} vocabularies
 * ({@code llm_tokenizer_wpm}). Its converter stores a word's first piece with a U+2581 prefix and
 * continuation pieces bare ({@code ##ing} becomes {@code ing}), so the model is {@link WordPiece} with
 * an empty continuation prefix over words that get the U+2581 in front. Text is prepared as llama.cpp's
 * {@code preprocess} does: each character replaced by the first character of its NFD form (llama.cpp's
 * "NFD" table: "Ä" becomes "A", so precomposed accents go, while a combining mark written separately
 * stays), NUL/U+FFFD/control characters dropped, lower case, then split at whitespace, with punctuation,
 * ASCII symbols and CJK ideographs each a word of its own.
 */
final class LlamaCppWordPiece {
    private static final String PHANTOM_SPACE = "\u2581";

    private LlamaCppWordPiece() {
    }

    /** llama.cpp's NFD; NUL, U+FFFD and {@code \p{C}} characters that are not whitespace dropped; lower case. */
    static Normalizer normalizer() {
        return text -> {
            StringBuilder sb = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); ) {
                int cp = firstOfNfd(text.codePointAt(i));
                i += Character.charCount(text.codePointAt(i));
                int flags = CodepointFlags.of(cp);
                boolean whitespace = (flags & CodepointFlags.WHITESPACE) != 0;
                if (!whitespace && (cp == 0 || cp == 0xFFFD || (flags & CodepointFlags.OTHER) != 0)) {
                    continue;
                }
                sb.appendCodePoint(whitespace ? cp : Character.toLowerCase(cp));
            }
            return sb.toString();
        };
    }

    /** The first code point of the NFD form of {@code cp}: llama.cpp's {@code unicode_cpts_normalize_nfd}. */
    static int firstOfNfd(int cp) {
        if (cp < 0xC0) {
            return cp; // nothing below U+00C0 decomposes
        }
        String s = Character.toString(cp);
        return java.text.Normalizer.isNormalized(s, java.text.Normalizer.Form.NFD) ? cp
                : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).codePointAt(0);
    }

    /** Words between whitespace, punctuation-like characters alone, each with the phantom space in front. */
    static PreTokenizer preTokenizer() {
        PreTokenizer prefix = (word, atStart, out) -> out.word(PHANTOM_SPACE + word, atStart);
        return PreTokenizer.sequence(List.of(
                new Split(SplitPattern.chars(CodepointFlags::isWhitespace), Split.Behavior.REMOVED, false),
                new Split(SplitPattern.chars(LlamaCppWordPiece::isOwnWord), Split.Behavior.ISOLATED, false),
                prefix));
    }

    /** llama.cpp: punctuation, ASCII symbols and CJK ideographs are single-character words. */
    private static boolean isOwnWord(int cp) {
        int category = CodepointFlags.of(cp) & 0xFF;
        return category == CodepointFlags.PUNCTUATION || (cp < 0x7F && category == CodepointFlags.SYMBOL)
                || BertNormalizer.isChinese(cp);
    }

    /** Greedy longest match over the vocabulary; a word with a gap is one unknown token. */
    static Model model(Vocabulary vocab, int unk) {
        return new WordPiece(vocab.ids(), vocab.maxTokenChars(), "", Integer.MAX_VALUE, unk, "[UNK]");
    }
}
