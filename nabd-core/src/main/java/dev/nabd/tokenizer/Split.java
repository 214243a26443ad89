package dev.nabd.tokenizer;

/**
 * Hugging Face's {@code Split} pre-tokenizer, and the splitting every other stage of theirs builds on:
 * the text is cut where a {@link SplitPattern} matches, and the {@link Behavior} says what becomes of the
 * matched parts. With {@code invert} the pattern's matches and the text between them swap roles.
 */
final class Split implements PreTokenizer {

    /** What happens to the matched parts (Hugging Face's {@code SplitDelimiterBehavior}). */
    enum Behavior {
        /** Dropped. */
        REMOVED,
        /** Words of their own. */
        ISOLATED,
        /** Appended to the word before. */
        MERGED_WITH_PREVIOUS,
        /** Prepended to the word after. */
        MERGED_WITH_NEXT,
        /** Adjacent matches joined into one word. */
        CONTIGUOUS
    }

    private final SplitPattern pattern;
    private final Behavior behavior;
    private final boolean invert;

    Split(SplitPattern pattern, Behavior behavior, boolean invert) {
        this.pattern = pattern;
        this.behavior = behavior;
        this.invert = invert;
    }

    @Override
    public void split(String text, boolean atStart, WordSink out) {
        if (text.isEmpty()) {
            return;
        }
        IntList matches = new IntList(8);
        pattern.find(text, matches);
        // The parts covering the text, matched or not (Hugging Face's find_matches).
        int n = matches.size() / 2;
        int[] start = new int[2 * n + 1];
        int[] end = new int[2 * n + 1];
        boolean[] matched = new boolean[2 * n + 1];
        int parts = 0;
        int prev = 0;
        for (int i = 0; i < n; i++) {
            int s = matches.get(2 * i);
            int e = matches.get(2 * i + 1);
            if (s > prev) {
                start[parts] = prev;
                end[parts] = s;
                matched[parts++] = invert;
            }
            start[parts] = s;
            end[parts] = e;
            matched[parts++] = !invert;
            prev = e;
        }
        if (prev < text.length()) {
            start[parts] = prev;
            end[parts] = text.length();
            matched[parts++] = invert;
        }
        emit(text, atStart, start, end, matched, parts, out);
    }

    private void emit(String text, boolean atStart, int[] start, int[] end, boolean[] matched, int parts,
                      WordSink out) {
        switch (behavior) {
            case ISOLATED -> {
                for (int i = 0; i < parts; i++) {
                    word(text, start[i], end[i], atStart, out);
                }
            }
            case REMOVED -> {
                for (int i = 0; i < parts; i++) {
                    if (!matched[i]) {
                        word(text, start[i], end[i], atStart, out);
                    }
                }
            }
            case CONTIGUOUS, MERGED_WITH_PREVIOUS -> {
                // A part joins the word before when it is a match that follows a non-match
                // (MERGED_WITH_PREVIOUS) or has the same kind as the part before (CONTIGUOUS).
                int wordStart = start[0];
                int wordEnd = end[0];
                for (int i = 1; i < parts; i++) {
                    boolean join = behavior == Behavior.CONTIGUOUS ? matched[i] == matched[i - 1]
                            : matched[i] && !matched[i - 1];
                    if (join) {
                        wordEnd = end[i];
                    } else {
                        word(text, wordStart, wordEnd, atStart, out);
                        wordStart = start[i];
                        wordEnd = end[i];
                    }
                }
                word(text, wordStart, wordEnd, atStart, out);
            }
            case MERGED_WITH_NEXT -> {
                // Mirror image: from the end, a match that precedes a non-match joins the word after it.
                int[] ws = new int[parts];
                int[] we = new int[parts];
                int words = 0;
                int wordStart = start[parts - 1];
                int wordEnd = end[parts - 1];
                for (int i = parts - 2; i >= 0; i--) {
                    if (matched[i] && !matched[i + 1]) {
                        wordStart = start[i];
                    } else {
                        ws[words] = wordStart;
                        we[words++] = wordEnd;
                        wordStart = start[i];
                        wordEnd = end[i];
                    }
                }
                ws[words] = wordStart;
                we[words++] = wordEnd;
                for (int i = words - 1; i >= 0; i--) {
                    word(text, ws[i], we[i], atStart, out);
                }
            }
        }
    }

    private static void word(String text, int start, int end, boolean atStart, WordSink out) {
        if (end > start) {
            out.word(text.substring(start, end), atStart && start == 0);
        }
    }
}
