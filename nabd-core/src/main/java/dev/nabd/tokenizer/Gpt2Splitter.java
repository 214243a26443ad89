package dev.nabd.tokenizer;

/**
 * GPT-2's pre-tokenizer regex
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)}, hand-coded over code
 * points as llama.cpp does ({@code unicode_regex_split_custom_gpt2}): its custom code is what runs, so this
 * is a port of it, branch for branch, rather than a regex.
 */
final class Gpt2Splitter implements SplitRule {
    static final String REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    private static final int LETTER = CodepointFlags.LETTER;
    private static final int NUMBER = CodepointFlags.NUMBER;
    private static final int WHITESPACE = CodepointFlags.WHITESPACE;

    @Override
    public IntList split(SplitText text, IntList fragments) {
        return SplitCursor.splitEach(text, fragments, Gpt2Splitter::splitFragment);
    }

    private static void splitFragment(SplitCursor c) {
        int pos = c.ini;
        while (pos < c.end) {
            int cpt = c.cpt(pos);
            int flags = c.flags(pos);
            // 's|'t|'re|'ve|'m|'ll|'d
            int contraction = c.contraction(pos, false);
            if (contraction > 0) {
                pos += c.emit(pos + contraction);
                continue;
            }
            int flags2 = cpt == ' ' ? c.flags(pos + 1) : flags;
            // <space>?\p{L}+
            if ((flags2 & LETTER) != 0) {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & LETTER) != 0) {
                    flags2 = c.flags(++pos);
                }
                c.emit(pos);
                continue;
            }
            // <space>?\p{N}+
            if ((flags2 & NUMBER) != 0) {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & NUMBER) != 0) {
                    flags2 = c.flags(++pos);
                }
                c.emit(pos);
                continue;
            }
            // <space>?[^\s\p{L}\p{N}]+
            if ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags2 != 0) {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags2 != 0) {
                    flags2 = c.flags(++pos);
                }
                c.emit(pos);
                continue;
            }
            int whitespaces = 0;
            while ((c.flags(pos + whitespaces) & WHITESPACE) != 0) {
                whitespaces++;
            }
            // \s+(?!\S)
            if (whitespaces > 1 && c.cpt(pos + whitespaces) != SplitCursor.OUT_OF_RANGE) {
                pos += whitespaces - 1;
                c.emit(pos);
                continue;
            }
            // \s+
            if (whitespaces > 0) {
                pos += whitespaces;
                c.emit(pos);
                continue;
            }
            // no match: a fragment of its own
            c.emit(++pos);
        }
    }
}
