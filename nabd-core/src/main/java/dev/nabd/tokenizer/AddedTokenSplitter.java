package dev.nabd.tokenizer;

/**
 * The first stage of encoding: cuts the text of added tokens (special tokens such as
 * {@code <|im_start|>}, and user-defined ones such as {@code <think>}) out of the input, and normalizes
 * the text between them, which the later stages tokenize. Hugging Face's rules are
 * {@link AddedVocabulary}; llama.cpp's, for GGUF files, {@link SpecialTokenSplitter}.
 */
interface AddedTokenSplitter {

    /** Receives the pieces of the input in order. */
    interface Sink {
        /** An added token found in the text. */
        void token(int id);

        /**
         * Normalized text between added tokens (never empty).
         *
         * @param atStart whether it begins the input
         */
        void text(String normalized, boolean atStart);
    }

    /**
     * Hands the pieces of {@code text} to {@code out}.
     *
     * @param parseSpecial recognise special (control) tokens; when false their text is ordinary text,
     *                     while user-defined (non-special) tokens are still recognised
     */
    void split(String text, boolean parseSpecial, Sink out);
}
