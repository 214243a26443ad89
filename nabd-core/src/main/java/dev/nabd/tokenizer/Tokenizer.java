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

    /**
     * Copies what {@link #tokenBytes} returns into {@code dst} at {@code offset} without allocating (the
     * implementations of this package override the default), as llama.cpp's {@code token_to_piece}.
     *
     * @return the number of bytes written, or, when {@code dst} has fewer than that many bytes left
     *         after {@code offset}, minus the number needed (and nothing is written)
     */
    default int copyTokenBytes(int id, boolean renderSpecial, byte[] dst, int offset) {
        byte[] bytes = tokenBytes(id, renderSpecial);
        if (bytes.length > dst.length - offset) {
            return -bytes.length;
        }
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
        return bytes.length;
    }

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

    /** Every id for which {@link #isEndOfGeneration} holds, ascending (a sampler's stop set). */
    default int[] endOfGenerationIds() {
        return java.util.stream.IntStream.range(0, vocabSize()).filter(this::isEndOfGeneration).toArray();
    }

    /**
     * Whether {@code encode(text, true, ...)} puts BOS in front: a chat template that writes the BOS text
     * itself should then be encoded with {@code addSpecial = false}, or the prompt starts with two.
     */
    default boolean addsBos() {
        int[] ids = encode("", true, false);
        return ids.length > 0 && ids[0] == bosId();
    }
}
