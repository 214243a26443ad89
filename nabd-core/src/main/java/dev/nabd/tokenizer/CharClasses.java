package dev.nabd.tokenizer;

/**
 * The character predicates Hugging Face's Rust code uses, on code points, with the JDK's Unicode tables:
 * Rust's {@code char::is_whitespace}, {@code is_alphanumeric} and {@code is_numeric}, the
 * {@code unicode_categories} crate's {@code is_punctuation}, {@code is_other} and
 * {@code is_mark_nonspacing}, and the regex crate's {@code \w}. Where the two Unicode versions differ
 * (characters assigned very recently), so may the results.
 */
final class CharClasses {
    private CharClasses() {
    }

    /** Unicode White_Space (Rust {@code char::is_whitespace}, regex {@code \s}). */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Rust {@code char::is_numeric}: general category Nd, Nl or No. */
    static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** Rust {@code char::is_alphanumeric}: Alphabetic or numeric. */
    static boolean isAlphanumeric(int cp) {
        return Character.isAlphabetic(cp) || isNumeric(cp);
    }

    /** The regex crate's Unicode {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER || t == Character.CONNECTOR_PUNCTUATION;
    }

    /** {@code unicode_categories::is_punctuation}: Pc, Pd, Ps, Pe, Pi, Pf or Po. */
    static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Rust {@code char::is_ascii_punctuation}: the 32 ASCII symbols and punctuation marks. */
    static boolean isAsciiPunctuation(int cp) {
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60)
                || (cp >= 0x7B && cp <= 0x7E);
    }

    /** The punctuation of BERT's and the Punctuation pre-tokenizer: ASCII symbols included ("$", "+"). */
    static boolean isBertPunctuation(int cp) {
        return isAsciiPunctuation(cp) || isPunctuation(cp);
    }

    /**
     * {@code unicode_categories::is_other}: control, format or private use. Despite the comment in Hugging
     * Face's BERT normalizer, the crate leaves unassigned code points out, so BERT keeps them.
     */
    static boolean isOther(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    /** General category Mn. */
    static boolean isNonSpacingMark(int cp) {
        return Character.getType(cp) == Character.NON_SPACING_MARK;
    }

    /** Any mark (Mn, Mc, Me): {@code unicode_normalization::char::is_combining_mark}. */
    static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    /**
     * The lower case of one code point as Rust's {@code char::to_lowercase} gives it (which Hugging Face
     * applies char by char): İ becomes "i̇", and Σ is always σ (no final-sigma rule, which needs context).
     */
    static String lowerCase(int cp) {
        if (cp == 0x03A3) {
            return "\u03C3";
        }
        return new String(Character.toChars(cp)).toLowerCase(java.util.Locale.ROOT);
    }
}
