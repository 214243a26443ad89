package dev.nabd.cli;

/**
 * Splits a streamed answer into reasoning ({@code <think>…</think>}) and the answer proper, so the REPL
 * can dim or hide the reasoning. A tag may arrive split over several pieces: text that could be the
 * start of a tag is held back until the next piece decides.
 */
final class ThinkingFilter {
    /** Where the two kinds of text go. */
    interface Sink {
        void answer(String text);

        void thinking(String text);
    }

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";
    private final StringBuilder pending = new StringBuilder();
    private boolean inThinking;

    void accept(String text, Sink sink) {
        pending.append(text);
        while (true) {
            String tag = inThinking ? CLOSE : OPEN;
            int at = pending.indexOf(tag);
            if (at >= 0) {
                emit(pending.substring(0, at), sink);
                pending.delete(0, at + tag.length());
                inThinking = !inThinking;
                continue;
            }
            int keep = 0;
            for (int k = Math.min(tag.length() - 1, pending.length()); k > 0; k--) {
                if (pending.substring(pending.length() - k).equals(tag.substring(0, k))) {
                    keep = k;
                    break;
                }
            }
            emit(pending.substring(0, pending.length() - keep), sink);
            pending.delete(0, pending.length() - keep);
            return;
        }
    }

    /** The end of the answer: releases held-back text. */
    void flush(Sink sink) {
        emit(pending.toString(), sink);
        pending.setLength(0);
        inThinking = false;
    }

    private void emit(String text, Sink sink) {
        if (text.isEmpty()) {
            return;
        }
        if (inThinking) {
            sink.thinking(text);
        } else {
            sink.answer(text);
        }
    }
}
