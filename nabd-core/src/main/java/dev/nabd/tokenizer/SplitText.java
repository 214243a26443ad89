package dev.nabd.tokenizer;

/**
 * The text a pre-tokenizer splits, as code points (lone surrogates become U+FFFD, as llama.cpp turns
 * invalid UTF-8 into U+FFFD), with the two derived strings its regular expressions run on, built once and
 * only when a rule needs them. Split positions are always counted in code points.
 */
final class SplitText {
    private final int[] codePoints;
    private String collapsed;
    private String wide;

    SplitText(int[] codePoints) {
        this.codePoints = codePoints;
    }

    static SplitText of(String text) {
        int[] cps = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            cps[n++] = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xFFFD : cp;
        }
        return new SplitText(java.util.Arrays.copyOf(cps, n));
    }

    int[] codePoints() {
        return codePoints;
    }

    int length() {
        return codePoints.length;
    }

    /**
     * llama.cpp's "collapsed" text (unicode_regex_split): one char per code point, ASCII kept, every other
     * code point replaced by a stand-in for its class — 0x0B for whitespace, 0xD1 number, 0xD2 letter,
     * 0xD3 punctuation, 0xD4 mark, 0xD5 symbol, 0xD0 anything else — so that an ASCII-only regex with
     * {@code \p{..}} classes rewritten to those stand-ins (see {@link RegexSplitter}) classifies non-ASCII
     * text. Char index = code point index.
     */
    String collapsed() {
        if (collapsed == null) {
            char[] out = new char[codePoints.length];
            for (int i = 0; i < codePoints.length; i++) {
                out[i] = collapse(codePoints[i]);
            }
            collapsed = new String(out);
        }
        return collapsed;
    }

    /**
     * The text itself with non-ASCII whitespace replaced by 0x0B, for regexes without {@code \p{..}}
     * classes: llama.cpp runs those with {@code std::wregex}, whose {@code \s} is ASCII only, on text
     * prepared the same way. Char indices differ from code point indices where supplementary characters
     * occur.
     */
    String wide() {
        if (wide == null) {
            StringBuilder sb = new StringBuilder(codePoints.length + 8);
            for (int cp : codePoints) {
                sb.appendCodePoint(cp > 0x7F && CodepointFlags.isWhitespace(cp) ? 0x0B : cp);
            }
            wide = sb.toString();
        }
        return wide;
    }

    private static char collapse(int cp) {
        if (cp < 128) {
            return (char) cp;
        }
        int flags = CodepointFlags.of(cp);
        if ((flags & CodepointFlags.WHITESPACE) != 0) {
            return 0x0B;
        }
        return switch (flags & 0xFF) {
            case CodepointFlags.NUMBER -> 0xD1;
            case CodepointFlags.LETTER -> 0xD2;
            case CodepointFlags.PUNCTUATION -> 0xD3;
            case CodepointFlags.ACCENT_MARK -> 0xD4;
            case CodepointFlags.SYMBOL -> 0xD5;
            default -> 0xD0;
        };
    }
}
