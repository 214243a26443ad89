package dev.nabd.tokenizer;

/**
 * Llama 3's pre-tokenizer regex
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+},
 * hand-coded over code points: a port of llama.cpp's {@code unicode_regex_split_custom_llama3}, which is
 * what llama.cpp runs for this regex (and for GLM-4's, DBRX's and Smaug's, which are the same string).
 */
final class Llama3Splitter implements SplitRule {
    /** The regex as llama.cpp spells it (case-insensitive groups written out). */
    static final String REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** The same regex as tokenizer.json writes it; llama.cpp recognises both spellings. */
    static final String REGEX_HF = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final int LETTER = CodepointFlags.LETTER;
    private static final int NUMBER = CodepointFlags.NUMBER;
    private static final int WHITESPACE = CodepointFlags.WHITESPACE;

    @Override
    public IntList split(SplitText text, IntList fragments) {
        return SplitCursor.splitEach(text, fragments, Llama3Splitter::splitFragment);
    }

    private static void splitFragment(SplitCursor c) {
        int pos = c.ini;
        while (pos < c.end) {
            int cpt = c.cpt(pos);
            int flags = c.flags(pos);
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            int contraction = c.contraction(pos, true);
            if (contraction > 0) {
                pos += c.emit(pos + contraction);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || (flags & NUMBER) != 0)) {
                if ((flags & LETTER) != 0 || (c.flags(pos + 1) & LETTER) != 0) {
                    pos++;
                    while ((c.flags(pos) & LETTER) != 0) {
                        pos++;
                    }
                    c.emit(pos);
                    continue;
                }
            }
            // \p{N}{1,3}
            if ((flags & NUMBER) != 0) {
                int ini = pos;
                while ((c.flags(pos) & NUMBER) != 0) {
                    if (++pos - ini >= 3) {
                        c.emit(pos);
                        ini = pos;
                    }
                }
                c.emit(pos);
                continue;
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]*  (llama.cpp tests the first flags here, not flags2: kept)
            int flags2 = cpt == ' ' ? c.flags(pos + 1) : flags;
            if ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags != 0) {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags2 != 0) {
                    flags2 = c.flags(++pos);
                }
                int cpt2 = c.cpt(pos);
                while (cpt2 == '\r' || cpt2 == '\n') {
                    cpt2 = c.cpt(++pos);
                }
                c.emit(pos);
                continue;
            }
            int whitespaces = 0;
            int lastEndOfLine = 0;
            while ((c.flags(pos + whitespaces) & WHITESPACE) != 0) {
                int cpt2 = c.cpt(pos + whitespaces);
                if (cpt2 == '\r' || cpt2 == '\n') {
                    lastEndOfLine = pos + whitespaces + 1;
                }
                whitespaces++;
            }
            // \s*[\r\n]+
            if (lastEndOfLine > 0) {
                pos = lastEndOfLine;
                c.emit(pos);
                continue;
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
            c.emit(++pos);
        }
    }
}
