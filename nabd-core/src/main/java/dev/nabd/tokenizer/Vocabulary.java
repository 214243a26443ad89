package dev.nabd.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The tokens of a model: text, score and attributes per id, and the reverse map from text to id. The
 * attributes may still be adjusted while the tokenizer is being built (llama.cpp marks some tokens as
 * control by their text); after that the vocabulary is not changed.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final int[] attrs;
    private final Map<String, Integer> ids;
    private final int maxTokenChars;

    /**
     * @param texts token text by id (as stored: GPT-2 mapped characters for byte-level BPE, U+2581 for
     *              spaces in SentencePiece)
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
        this.ids = HashMap.newHashMap(texts.length);
        int max = 0;
        for (int id = 0; id < texts.length; id++) {
            Integer previous = ids.putIfAbsent(texts[id], id);
            if (previous != null) {
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
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    /** Length in chars of the longest token text: no longer string can be a token. */
    int maxTokenChars() {
        return maxTokenChars;
    }

    boolean isValid(int id) {
        return id >= 0 && id < texts.length;
    }
}
