package dev.nabd.tokenizer;

/**
 * A tokenizer model (Hugging Face {@code models}; llama.cpp's per-type tokenizer sessions): the token ids
 * of one pre-tokenized word. Implementations are thread-safe.
 */
@FunctionalInterface
interface Model {
    /** Appends the ids of {@code word} (never empty) to {@code out}. */
    void tokenize(String word, IntList out);
}
