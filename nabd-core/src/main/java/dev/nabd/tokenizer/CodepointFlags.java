package dev.nabd.tokenizer;

/**
 * The character classes llama.cpp's pre-tokenizers work with ({@code unicode_cpt_flags}): exactly one
 * general category per code point, as Python's {@code regex} module reports it when llama.cpp generates
 * its tables (unassigned, private-use and surrogate code points count as "other", {@code \p{C}}), plus a
 * separate whitespace bit for the 25 code points with the Unicode White_Space property. The categories
 * come from {@link Character#getType}; JDK and llama.cpp may differ on characters assigned by the most
 * recent Unicode versions only.
 */
final class CodepointFlags {
    /** {@code \p{N}}. */
    static final int NUMBER = 0x0002;
    /** {@code \p{L}}. */
    static final int LETTER = 0x0004;
    /** {@code \p{Z}}. */
    static final int SEPARATOR = 0x0008;
    /** {@code \p{M}}. */
    static final int ACCENT_MARK = 0x0010;
    /** {@code \p{P}}. */
    static final int PUNCTUATION = 0x0020;
    /** {@code \p{S}}. */
    static final int SYMBOL = 0x0040;
    /** {@code \p{C}}. */
    static final int OTHER = 0x0080;
    /** Unicode White_Space (not a category: space is both a separator and whitespace). */
    static final int WHITESPACE = 0x0100;

    /** Flags of every BMP code point, computed once: the splitters ask for them per character. */
    private static final short[] BMP = new short[0x10000];

    static {
        for (int cp = 0; cp < BMP.length; cp++) {
            BMP[cp] = (short) compute(cp);
        }
    }

    private CodepointFlags() {
    }

    /** The category flag of {@code cp}, ORed with {@link #WHITESPACE} when it is whitespace. */
    static int of(int cp) {
        return cp < BMP.length ? BMP[cp] : compute(cp);
    }

    static boolean isWhitespace(int cp) {
        return (of(cp) & WHITESPACE) != 0;
    }

    private static int compute(int cp) {
        int category = switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> ACCENT_MARK;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.CONNECTOR_PUNCTUATION, Character.OTHER_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            default -> OTHER; // control, format, private use, surrogate, unassigned
        };
        return category | (isWhiteSpaceProperty(cp) ? WHITESPACE : 0);
    }

    /** Unicode White_Space: what Python's and Rust's {@code \s} match (U+001C..U+001F are not in it). */
    private static boolean isWhiteSpaceProperty(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
