package dev.nabd.tokenizer;

/**
 * Hugging Face's {@code Metaspace} pre-tokenizer (SentencePiece-style): spaces become the replacement
 * character (U+2581), which is put in front of a piece of text that does not start with it (always, only
 * for the piece at the start of the input, or never), and with {@code split} each replacement character
 * starts a new word.
 */
final class Metaspace implements PreTokenizer {

    /** When the replacement character goes in front (Hugging Face's {@code prepend_scheme}). */
    enum Prepend { ALWAYS, FIRST, NEVER }

    private final char replacement;
    private final Prepend prepend;
    private final Split splitter;

    Metaspace(char replacement, Prepend prepend, boolean split) {
        this.replacement = replacement;
        this.prepend = prepend;
        this.splitter = split
                ? new Split(SplitPattern.literal(String.valueOf(replacement)), Split.Behavior.MERGED_WITH_NEXT, false)
                : null;
    }

    @Override
    public void split(String text, boolean atStart, WordSink out) {
        if (text.isEmpty()) {
            return;
        }
        String t = text.replace(' ', replacement);
        boolean front = switch (prepend) {
            case ALWAYS -> true;
            case FIRST -> atStart;
            case NEVER -> false;
        };
        if (front && t.charAt(0) != replacement) {
            t = replacement + t;
        }
        if (splitter != null) {
            splitter.split(t, atStart, out);
        } else {
            out.word(t, atStart);
        }
    }
}
