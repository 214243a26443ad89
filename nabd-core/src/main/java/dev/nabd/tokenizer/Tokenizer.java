package dev.nabd.tokenizer;

/**
 * Turns text into token ids and token ids back into bytes, as the model was trained.
 *
 * <p>Open one with {@link Tokenizers#load}. A tokenizer from a GGUF file behaves as llama.cpp's; one from
 * a Hugging Face {@code tokenizer.json} as the {@code tokenizers} library: {@code encode(text,
 * addSpecial, parseSpecial)} is {@code encode(text, add_special_tokens=addSpecial)} with
 * {@code split_special_tokens = !parseSpecial}, and {@code decode(ids, renderSpecial)} is
 * {@code decode(ids, skip_special_tokens = !renderSpecial)}. Implementations are thread-safe.
 */
public interface Tokenizer {

    /** Number of token ids. */
    int vocabSize();

    /**
     * Token ids of {@code text}.
     *
     * @param addSpecial add the BOS (and EOS) tokens the vocabulary asks for (tokenizer.json: what its
     *                   post-processor adds, such as {@code [CLS] ... [SEP]})
     * @param parseSpecial recognise control-token text such as {@code <|im_start|>} as one token;
     *                     when false such text is tokenised as plain text (user-defined tokens are
     *                     still recognised, as llama.cpp and Hugging Face do)
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

    /**
     * Decodes whole token sequences; invalid UTF-8 becomes U+FFFD. Unlike {@link #tokenBytes}, this applies
     * the rules for the start of a sequence (a SentencePiece vocabulary drops the space it put in front).
     *
     * @param renderSpecial control tokens appear as their text; when false they are left out (Hugging Face:
     *                      {@code skip_special_tokens})
     */
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
     * The ids of a prompt rendered by a chat template. Templates write the BOS text themselves when the
     * model wants it (transformers encodes their output without special tokens), so BOS is added only
     * when this vocabulary asks for one and the template left it out.
     */
    default int[] encodeChatPrompt(String rendered) {
        int[] ids = encode(rendered, false, true);
        if (addsBos() && (ids.length == 0 || ids[0] != bosId())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = bosId();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            return withBos;
        }
        return ids;
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
