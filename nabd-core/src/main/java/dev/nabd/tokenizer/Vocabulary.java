package dev.nabd.tokenizer;

/**
 * The tokens of a model: text, score and attributes per id, and the reverse map from text to id. The
 * attributes may still be adjusted while the tokenizer is being built (llama.cpp marks some tokens as
 * control by their text); after that the vocabulary is not changed.
 *
 * <p>A tokenizer.json may leave ids unused (its vocabulary is a map, not a list): those ids have no text
 * ({@link #text} returns {@code null}) and no attributes.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final int[] attrs;
    private final StringIntMap ids;
    private final int maxTokenChars;

    /**
     * @param texts token text by id (as stored: GPT-2 mapped characters for byte-level BPE, U+2581 for
     *              spaces in SentencePiece); {@code null} for an unused id
     * @param scores merge priority of each token (SentencePiece), or zeros
     * @param attrs {@link TokenAttr} bits of each token
     * @throws TokenizerException when two ids have the same text
     */
    Vocabulary(String[] texts, float[] scores, int[] attrs) {
        if (scores.length != texts.length || attrs.length != texts.length) {
            throw new IllegalArgumentException("texts, scores and attrs differ in length");
        }
        this.texts = texts;
        this.scores = scores;
        this.attrs = attrs;
        this.ids = new StringIntMap(texts.length);
        int max = 0;
        for (int id = 0; id < texts.length; id++) {
            if (texts[id] == null) {
                continue;
            }
            int previous = ids.put(texts[id], id);
            if (previous >= 0) {
                throw new TokenizerException("duplicate token in vocabulary: '" + texts[id] + "' has ids "
                        + previous + " and " + id);
            }
            max = Math.max(max, texts[id].length());
        }
        this.maxTokenChars = max;
    }

    int size() {
        return texts.length;
    }

    /** The text of {@code id}, or {@code null} for an unused id. */
    String text(int id) {
        return texts[id];
    }

    float score(int id) {
        return scores[id];
    }

    int attrs(int id) {
        return attrs[id];
    }

    boolean has(int id, int attrBits) {
        return (attrs[id] & attrBits) != 0;
    }

    void setAttrs(int id, int bits) {
        attrs[id] = bits;
    }

    void addAttrs(int id, int bits) {
        attrs[id] |= bits;
    }

    /** The id of the token with exactly this text, or -1. */
    int id(String text) {
        return ids.get(text);
    }

    /** The text → id map itself, for models that look tokens up in the whole vocabulary. */
    StringIntMap ids() {
        return ids;
    }

    /** Length in chars of the longest token text: no longer string can be a token. */
    int maxTokenChars() {
        return maxTokenChars;
    }

    boolean isValid(int id) {
        return id >= 0 && id < texts.length;
    }
}
