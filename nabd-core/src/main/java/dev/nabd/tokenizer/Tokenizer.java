package dev.nabd.tokenizer;

/**
 * Turns text into token ids and token ids back into bytes, as the model was trained.
 */
public interface Tokenizer {

    /** Number of token ids. */
    int vocabSize();

    /**
     * Token ids of {@code text}.
     *
     * @param addSpecial add the BOS (and EOS) tokens the vocabulary asks for
     * @param parseSpecial recognise control-token text such as {@code <|im_start|>} as one token;
     *                     when false such text is tokenised as plain text (user-defined tokens are
     *                     still recognised, as llama.cpp does)
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The bytes token {@code id} stands for. Control tokens give their text when {@code renderSpecial}
     * is true and nothing otherwise. A token may hold part of a UTF-8 character: use
     * {@link StreamingDecoder} to turn a stream of tokens into text.
     */
    byte[] tokenBytes(int id, boolean renderSpecial);

    /** Decodes whole token sequences; invalid UTF-8 becomes U+FFFD. */
    String decode(int[] ids, boolean renderSpecial);

    /** The token's text as stored in the vocabulary (for display and debugging). */
    String tokenText(int id);

    /** Beginning-of-sequence id, or -1. */
    int bosId();

    /** End-of-sequence id, or -1. */
    int eosId();

    /** Whether generating {@code id} ends a turn (EOS, EOT, EOM and the like). */
    boolean isEndOfGeneration(int id);
}
