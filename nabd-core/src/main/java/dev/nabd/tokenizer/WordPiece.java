package dev.nabd.tokenizer;

/**
 * The WordPiece model (BERT; Hugging Face's {@code WordPiece}): greedy longest match from the left, every
 * piece after the first looked up with the continuing-subword prefix ({@code ##}). A word longer than
 * {@code max_input_chars_per_word}, or with a stretch no token covers, is the unknown token as a whole.
 * Words already seen come from a cache.
 */
final class WordPiece implements Model {
    private final StringIntMap vocab;
    private final String prefix;
    private final int maxChars;
    private final int unk;
    private final String unkToken;
    /** No piece is longer than the longest token: the search for the longest match starts there. */
    private final int maxPieceChars;
    private final WordCache cache = new WordCache();

    /**
     * @param maxTokenChars the length of the longest token, in chars
     * @param unk the unknown token's id, or -1 when the vocabulary lacks it (an error once a word needs it,
     *            as in Hugging Face)
     */
    WordPiece(StringIntMap vocab, int maxTokenChars, String prefix, int maxChars, int unk, String unkToken) {
        this.vocab = vocab;
        this.maxPieceChars = maxTokenChars;
        this.prefix = prefix;
        this.maxChars = maxChars;
        this.unk = unk;
        this.unkToken = unkToken;
    }

    @Override
    public void tokenize(String word, IntList out) {
        out.addAll(cache.ids(word, this::pieces));
    }

    private int[] pieces(String word) {
        if (word.codePointCount(0, word.length()) > maxChars) {
            return new int[] {unknown()};
        }
        IntList pieces = new IntList(4);
        int start = 0;
        while (start < word.length()) {
            int end = Math.min(word.length(), start + maxPieceChars);
            if (end < word.length() && Character.isLowSurrogate(word.charAt(end))) {
                end--; // not between the halves of a surrogate pair
            }
            int found = -1;
            while (start < end) {
                String sub = word.substring(start, end);
                found = vocab.get(start > 0 ? prefix + sub : sub);
                if (found >= 0) {
                    break;
                }
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found < 0) {
                return new int[] {unknown()};
            }
            pieces.add(found);
            start = end;
        }
        return pieces.toArray();
    }

    private int unknown() {
        if (unk < 0) {
            throw new TokenizerException("the WordPiece model's unk_token '" + unkToken + "' is not in its vocabulary");
        }
        return unk;
    }
}
