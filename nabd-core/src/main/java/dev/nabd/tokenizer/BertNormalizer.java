package dev.nabd.tokenizer;

/**
 * BERT's normalizer (Hugging Face {@code BertNormalizer}), four optional steps in this order: drop NUL,
 * U+FFFD and control/format/unassigned characters and turn every whitespace into a space
 * ({@code clean_text}); put spaces around CJK ideographs so that each becomes a word
 * ({@code handle_chinese_chars}); NFD and drop non-spacing marks ({@code strip_accents}, which defaults
 * to {@code lowercase}); lower-case.
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public String normalize(String text) {
        if (cleanText) {
            text = cleanText(text);
        }
        if (handleChineseChars) {
            text = spaceChinese(text);
        }
        if (stripAccents) {
            text = Normalizers.filter(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD),
                    cp -> !CharClasses.isNonSpacingMark(cp));
        }
        if (lowercase) {
            text = Normalizers.lowerCase(text);
        }
        return text;
    }

    private static String cleanText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean whitespace = cp == '\t' || cp == '\n' || cp == '\r' || CharClasses.isWhitespace(cp);
            if (whitespace) {
                sb.append(' ');
            } else if (cp != 0 && cp != 0xFFFD && !CharClasses.isOther(cp)) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    private static String spaceChinese(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (isChinese(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else if (sb != null) {
                sb.append(text, i, i + n);
            }
            i += n;
        }
        return sb == null ? text : sb.toString();
    }

    /** The CJK ideograph blocks BERT's code lists (not Hangul, Hiragana or Katakana). */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
