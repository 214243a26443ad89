package dev.nabd.tokenizer;

/**
 * Hugging Face's {@code ByteLevel} pre-tokenizer: optionally a space in front of each piece of text that
 * does not start with one, optionally GPT-2's split (as an {@link Split.Behavior#ISOLATED} regex), then
 * every UTF-8 byte of every word replaced by its GPT-2 character ({@link ByteUnicode}), which is what
 * byte-level BPE vocabularies are written in. The GGUF byte-level tokenizers use it too, for the mapping
 * only.
 */
final class ByteLevelPreTokenizer implements PreTokenizer {
    /** GPT-2's split with Hugging Face's extra {@code \s+} at the end (llama.cpp's lacks it). */
    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Split GPT2 = new Split(SplitPattern.regex(OnigRegex.compile(GPT2_REGEX)),
            Split.Behavior.ISOLATED, false);

    private final boolean addPrefixSpace;
    private final boolean useRegex;

    ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
    }

    @Override
    public void split(String text, boolean atStart, WordSink out) {
        if (text.isEmpty()) {
            return;
        }
        String t = addPrefixSpace && text.charAt(0) != ' ' ? " " + text : text;
        if (useRegex) {
            GPT2.split(t, atStart, (w, s) -> out.word(map(w), s));
        } else {
            out.word(map(t), atStart);
        }
    }

    /** The GPT-2 characters of the UTF-8 bytes of {@code text} (lone surrogates, which have none, as U+FFFD). */
    static String map(String text) {
        int n = text.length();
        char[] out = new char[n * 3];
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[o++] = ByteUnicode.charOf(c);
            } else if (c < 0x800) {
                out[o++] = ByteUnicode.charOf(0xC0 | c >> 6);
                out[o++] = ByteUnicode.charOf(0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[o++] = ByteUnicode.charOf(0xF0 | cp >> 18);
                out[o++] = ByteUnicode.charOf(0x80 | cp >> 12 & 0x3F);
                out[o++] = ByteUnicode.charOf(0x80 | cp >> 6 & 0x3F);
                out[o++] = ByteUnicode.charOf(0x80 | cp & 0x3F);
            } else {
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                out[o++] = ByteUnicode.charOf(0xE0 | cp >> 12);
                out[o++] = ByteUnicode.charOf(0x80 | cp >> 6 & 0x3F);
                out[o++] = ByteUnicode.charOf(0x80 | cp & 0x3F);
            }
        }
        return new String(out, 0, o);
    }
}
