package dev.nabd.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The bytes each token stands for, computed once per vocabulary as llama.cpp's token-to-piece cache, and
 * which tokens are hidden unless special tokens are rendered (llama.cpp: control and unknown tokens;
 * Hugging Face: the special added tokens that {@code skip_special_tokens} skips).
 */
final class TokenPieces {
    private static final byte[] EMPTY = new byte[0];
    private static final int RAW = TokenAttr.UNKNOWN | TokenAttr.CONTROL | TokenAttr.USER_DEFINED;

    private final Vocabulary vocab;
    private final byte[][] pieces;
    private final int hiddenAttrs;

    /**
     * @param pieces the bytes of each token, rendered as special
     * @param hiddenAttrs the {@link TokenAttr} bits of the tokens that are empty unless rendered as special
     */
    TokenPieces(Vocabulary vocab, byte[][] pieces, int hiddenAttrs) {
        this.vocab = vocab;
        this.pieces = pieces;
        this.hiddenAttrs = hiddenAttrs;
    }

    /**
     * The cached piece, not a copy: hidden tokens are empty unless {@code renderSpecial}.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    byte[] piece(int id, boolean renderSpecial) {
        if (!vocab.isValid(id)) {
            throw new IllegalArgumentException("token id " + id + " out of range [0, " + vocab.size() + ")");
        }
        if (!renderSpecial && vocab.has(id, hiddenAttrs)) {
            return EMPTY;
        }
        return pieces[id];
    }

    /** Whether {@code id} is hidden unless special tokens are rendered. */
    boolean isHidden(int id) {
        return vocab.has(id, hiddenAttrs);
    }

    /** Every token through a Hugging Face decoder, as in the middle of a text (unused ids: nothing). */
    static byte[][] decoded(Vocabulary vocab, Decoder decoder) {
        byte[][] pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            String text = vocab.text(id);
            pieces[id] = text == null ? EMPTY : decoder == null ? utf8(text) : decoder.piece(text);
        }
        return pieces;
    }

    /**
     * Byte-level BPE: normal tokens map their GPT-2 characters back to bytes; control, unknown and
     * user-defined tokens are their text as is (converters store user-defined tokens un-mapped, and
     * llama.cpp renders them so); byte tokens {@code <0xXX>} are that byte.
     */
    static byte[][] byteLevel(Vocabulary vocab) {
        return byType(vocab, TokenPieces::unmapBytes);
    }

    /**
     * SentencePiece: normal tokens turn U+2581 back into spaces; control, unknown and user-defined tokens
     * are their text; byte tokens {@code <0xXX>} are that byte.
     */
    static byte[][] sentencePiece(Vocabulary vocab) {
        return byType(vocab, text -> utf8(text.replace('\u2581', ' ')));
    }

    /** The pieces of a GGUF vocabulary by token type, normal tokens through {@code normal}. */
    private static byte[][] byType(Vocabulary vocab, Function<String, byte[]> normal) {
        byte[][] pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            String text = vocab.text(id);
            if (vocab.has(id, RAW)) {
                pieces[id] = utf8(text);
            } else if (vocab.has(id, TokenAttr.NORMAL)) {
                pieces[id] = normal.apply(text);
            } else if (vocab.has(id, TokenAttr.BYTE)) {
                pieces[id] = new byte[] {hexByte(text)};
            } else {
                pieces[id] = EMPTY; // unused or undefined
            }
        }
        return pieces;
    }

    /**
     * GPT-2 characters back to bytes (llama.cpp's {@code llama_decode_text}). A character outside the
     * 256 mapped ones cannot come from a byte; llama.cpp then writes
     * {@code [UNK_BYTE_0x<its UTF-8 in hex><the token text>]}, and so do we.
     */
    static byte[] unmapBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = ByteUnicode.byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder unk = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : utf8(new String(Character.toChars(cp)))) {
                    unk.append(String.format("%02x", u & 0xFF));
                }
                out.writeBytes(utf8(unk.append(text).append(']').toString()));
            }
        }
        return out.toByteArray();
    }

    /** The byte of a {@code <0xXX>} token (llama.cpp reads the two hex digits at offset 3). */
    private static byte hexByte(String text) {
        try {
            return (byte) Integer.parseInt(text.substring(3, 5), 16);
        } catch (RuntimeException e) {
            throw new TokenizerException("byte token '" + text + "' is not of the form <0xXX>", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
