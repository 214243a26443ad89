package dev.nabd.tokenizer;

/**
 * The last stage: a whole sequence of ids back to text. Hugging Face's rules are {@link DecoderChain};
 * llama.cpp's, for GGUF files, {@link Detokenizer}.
 */
@FunctionalInterface
interface TextDecoder {
    /**
     * @param renderSpecial special tokens appear as their text (Hugging Face: {@code skip_special_tokens}
     *                      false)
     */
    String decode(int[] ids, boolean renderSpecial);
}
