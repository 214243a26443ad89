package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece BPE as llama.cpp's {@code llm_tokenizer_spm}: the text (spaces already U+2581) starts as
 * one symbol per character; any two adjacent symbols whose concatenation is a token may merge, the one
 * whose token has the highest score first, leftmost on ties. Symbols that are not tokens at the end
 * (characters the vocabulary lacks) become their UTF-8 bytes as {@code <0xXX>} tokens, or UNK when the
 * vocabulary has no byte tokens. There is no pre-tokenization: the whole fragment is one sequence.
 *
 * <p>Hugging Face has no such model: its tokenizer.json files write SentencePiece vocabularies as
 * {@link Bpe} with merges ordered by score, which gives the same ids in all but rare ties. GGUF files
 * carry the scores and no merges, so their {@code llama} tokenizers use this model, as llama.cpp does.
 */
final class SentencePieceBpe implements Model {
    private final Vocabulary vocab;
    private final int[] byteToken = new int[256];
    private final int unknown;

    /**
     * @param unknown the UNK id for bytes without a byte token, or -1
     */
    SentencePieceBpe(Vocabulary vocab, int unknown) {
        this.vocab = vocab;
        this.unknown = unknown;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id < 0 && b < 0x80) {
                id = vocab.id(String.valueOf((char) b)); // llama.cpp's second choice: the byte as text
            }
            byteToken[b] = id;
        }
    }

    /** Appends the tokens of {@code text}, whose spaces are already escaped as U+2581. */
    @Override
    public void tokenize(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) {
            return;
        }
        BpeSymbols s = new BpeSymbols(n);
        for (int i = 0, at = 0; i < n; i++) {
            int chars = Character.charCount(text.codePointAt(at));
            s.start[i] = at;
            s.len[i] = chars;
            at += chars;
        }
        s.mergeAll((sym, left, right) -> offer(text, sym, left, right));
        for (int i = 0; i >= 0; i = s.next[i]) {
            String piece = text.substring(s.start[i], s.start[i] + s.len[i]);
            int id = vocab.id(piece);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // Only single characters can be missing (merges only ever form tokens), so llama.cpp's
            // re-segmentation through its merge history never applies: straight to bytes.
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int token = byteToken[b & 0xFF];
                if (token < 0) {
                    token = unknown;
                }
                if (token < 0) {
                    throw new TokenizerException("SentencePiece vocabulary has neither a byte token <0x"
                            + String.format("%02X", b & 0xFF) + "> nor an unknown token for " + piece);
                }
                out.add(token);
            }
        }
    }

    /** A pair may merge when the two symbols' text together is a token; the higher its score, the sooner. */
    private void offer(String text, BpeSymbols s, int left, int right) {
        int size = s.len[left] + s.len[right];
        if (size > vocab.maxTokenChars()) {
            return;
        }
        int id = vocab.id(text.substring(s.start[left], s.start[left] + size));
        if (id >= 0) {
            s.push(priority(vocab.score(id)), left, right);
        }
    }

    /** Higher scores merge first: the bitwise complement of the score's order-preserving int form. */
    private static int priority(float score) {
        int bits = Float.floatToIntBits(score + 0.0f); // -0.0 ties with 0.0, as in llama.cpp's float comparison
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ~ordered;
    }
}
