package dev.nabd.tokenizer;

import java.util.function.Consumer;

/**
 * What the hand-coded regexes of llama.cpp ({@link Gpt2Splitter}, {@link Llama3Splitter}) read and
 * write: code points and flags inside the fragment being split ({@code OUT_OF_RANGE} and no flags
 * outside it, which is how they see the fragment's ends), and the pieces they emit.
 */
final class SplitCursor {
    static final int OUT_OF_RANGE = -1;

    private final int[] cps;
    int ini;
    int end;
    private int prevEnd;
    private IntList out;

    private SplitCursor(int[] cps) {
        this.cps = cps;
    }

    /** Runs {@code splitFragment} over each fragment in turn and returns the lengths of all pieces emitted. */
    static IntList splitEach(SplitText text, IntList fragments, Consumer<SplitCursor> splitFragment) {
        SplitCursor c = new SplitCursor(text.codePoints());
        IntList out = new IntList(fragments.size() * 4);
        int start = 0;
        for (int f = 0; f < fragments.size(); f++) {
            c.ini = start;
            c.end = start + fragments.get(f);
            c.prevEnd = start;
            c.out = out;
            start = c.end;
            splitFragment.accept(c);
        }
        return out;
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

    /**
     * The length of the contraction {@code 's|'t|'re|'ve|'m|'ll|'d} at {@code pos}, 0 when there is none;
     * {@code ignoreCase} for Llama 3's {@code (?i:...)}.
     */
    int contraction(int pos, boolean ignoreCase) {
        if (cpt(pos) != '\'' || pos + 1 >= end) {
            return 0;
        }
        int next = ignoreCase ? Character.toLowerCase(cpt(pos + 1)) : cpt(pos + 1);
        if (next == 's' || next == 't' || next == 'm' || next == 'd') {
            return 2;
        }
        if (pos + 2 < end) {
            int nextNext = ignoreCase ? Character.toLowerCase(cpt(pos + 2)) : cpt(pos + 2);
            if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l')) {
                return 3;
            }
        }
        return 0;
    }
}
