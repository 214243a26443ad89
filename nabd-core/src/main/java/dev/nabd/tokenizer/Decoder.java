package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A decoder stage (Hugging Face {@code decoders}): turns the token strings of a sequence back into text.
 * Stages run as a chain, each rewriting the list of strings the one before produced
 * ({@code decode_chain}); the text is the last list joined. Implementations are immutable.
 *
 * <p>Streaming needs the bytes of one token on its own ({@link Tokenizer#tokenBytes}): {@link #piece}
 * gives them for a token in the middle of a text, so rules for the first token of a sequence (Metaspace
 * dropping the leading space, a Strip after Fuse) do not apply there.
 */
interface Decoder {

    /** Hugging Face's {@code decode_chain}: the strings after this stage. */
    List<String> decodeChain(List<String> tokens);

    /** The text of one token in the middle of a sequence, after this stage; by default unchanged. */
    default String pieceText(String token) {
        return token;
    }

    /**
     * The raw bytes this stage makes of one token, or {@code null} when it leaves the token text (byte
     * stages: {@code ByteLevel} and {@code ByteFallback}).
     */
    default byte[] pieceBytes(String token) {
        return null;
    }

    /** The bytes of one token in the middle of a sequence, through this decoder. */
    default byte[] piece(String token) {
        byte[] raw = pieceBytes(token);
        return raw != null ? raw : pieceText(token).getBytes(StandardCharsets.UTF_8);
    }
}
