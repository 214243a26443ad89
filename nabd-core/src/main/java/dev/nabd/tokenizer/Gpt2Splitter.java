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
        Cursor c = new Cursor(text.codePoints());
        IntList out = new IntList(fragments.size() * 4);
        int start = 0;
        for (int f = 0; f < fragments.size(); f++) {
            c.reset(start, start + fragments.get(f), out);
            start = c.end;
            splitFragment(c);
        }
        return out;
    }

    private static void splitFragment(Cursor c) {
        int pos = c.ini;
        while (pos < c.end) {
            int cpt = c.cpt(pos);
            int flags = c.flags(pos);
            // 's|'t|'re|'ve|'m|'ll|'d
            if (cpt == '\'' && pos + 1 < c.end) {
                int next = c.cpt(pos + 1);
                if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                    pos += c.emit(pos + 2);
                    continue;
                }
                if (pos + 2 < c.end) {
                    int nextNext = c.cpt(pos + 2);
                    if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e')
                            || (next == 'l' && nextNext == 'l')) {
                        pos += c.emit(pos + 3);
                        continue;
                    }
                }
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
            if (whitespaces > 1 && c.cpt(pos + whitespaces) != Cursor.OUT_OF_RANGE) {
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

    /**
     * Reads code points and flags inside the fragment being split ({@code OUT_OF_RANGE} and no flags
     * outside it, which is how the hand-coded regexes see the fragment's ends) and emits pieces.
     */
    static final class Cursor {
        static final int OUT_OF_RANGE = -1;

        private final int[] cps;
        int ini;
        int end;
        private int prevEnd;
        private IntList out;

        Cursor(int[] cps) {
            this.cps = cps;
        }

        void reset(int ini, int end, IntList out) {
            this.ini = ini;
            this.end = end;
            this.prevEnd = ini;
            this.out = out;
        }

        int cpt(int pos) {
            return pos >= ini && pos < end ? cps[pos] : OUT_OF_RANGE;
        }

        int flags(int pos) {
            return pos >= ini && pos < end ? CodepointFlags.of(cps[pos]) : 0;
        }

        /** Ends the current piece at {@code pos}; returns its length (0 emits nothing). */
        int emit(int pos) {
            int len = pos - prevEnd;
            if (len > 0) {
                out.add(len);
            }
            prevEnd = pos;
            return len;
        }
    }
}
