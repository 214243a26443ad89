package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code Tokenizer.decode}: each id becomes its token string (ids without one are
 * skipped), special added tokens are dropped when skipping them, and the decoder chain turns the strings
 * into text; without a decoder the strings are joined with spaces.
 */
final class DecoderChain implements TextDecoder {
    private final Vocabulary vocab;
    private final TokenPieces pieces;
    private final Decoder decoder;

    /** @param decoder the decoder, or {@code null} ({@code "decoder": null}) */
    DecoderChain(Vocabulary vocab, TokenPieces pieces, Decoder decoder) {
        this.vocab = vocab;
        this.pieces = pieces;
        this.decoder = decoder;
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (!vocab.isValid(id) || vocab.text(id) == null || (!renderSpecial && pieces.isHidden(id))) {
                continue;
            }
            tokens.add(vocab.text(id));
        }
        if (decoder == null) {
            return String.join(" ", tokens);
        }
        return String.join("", decoder.decodeChain(tokens));
    }
}
