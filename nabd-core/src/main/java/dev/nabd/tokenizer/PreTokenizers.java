package dev.nabd.tokenizer;

import java.util.List;

/**
 * Hugging Face's fixed-rule pre-tokenizers, each a {@link Split} (or two) with the character class and
 * behaviour their Rust code uses.
 */
final class PreTokenizers {
    /** {@code Whitespace}: words of word characters, and runs of other non-space characters. */
    private static final Split WHITESPACE = new Split(
            SplitPattern.regex(OnigRegex.compile("\\w+|[^\\w\\s]+")), Split.Behavior.REMOVED, true);

    private PreTokenizers() {
    }

    static PreTokenizer whitespace() {
        return WHITESPACE;
    }

    /** {@code WhitespaceSplit}: split on whitespace, which is dropped. */
    static PreTokenizer whitespaceSplit() {
        return new Split(SplitPattern.chars(CharClasses::isWhitespace), Split.Behavior.REMOVED, false);
    }

    /** {@code BertPreTokenizer}: split on whitespace, then every punctuation character is a word. */
    static PreTokenizer bert() {
        return PreTokenizer.sequence(List.of(whitespaceSplit(),
                new Split(SplitPattern.chars(CharClasses::isBertPunctuation), Split.Behavior.ISOLATED, false)));
    }

    /** {@code Punctuation}: split at punctuation characters (ASCII symbols included). */
    static PreTokenizer punctuation(Split.Behavior behavior) {
        return new Split(SplitPattern.chars(CharClasses::isBertPunctuation), behavior, false);
    }

    /** {@code Digits}: each digit a word, or runs of digits. */
    static PreTokenizer digits(boolean individual) {
        return new Split(SplitPattern.chars(CharClasses::isNumeric),
                individual ? Split.Behavior.ISOLATED : Split.Behavior.CONTIGUOUS, false);
    }

    /** {@code CharDelimiterSplit}: split on one character, which is dropped. */
    static PreTokenizer charDelimiter(int delimiter) {
        return new Split(SplitPattern.chars(cp -> cp == delimiter), Split.Behavior.REMOVED, false);
    }
}
