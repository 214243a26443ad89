package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whole-sequence decoding as llama.cpp's {@code llama_detokenize} with {@code remove_special = false}:
 * the pieces joined, the first piece losing one leading space when the vocabulary adds a space prefix
 * (SentencePiece), and, for vocabularies that ask for it, Hugging Face's clean-up of spaces before
 * punctuation and in contractions. This is the decoding of the GGUF tokenizers; it differs from Hugging
 * Face's {@link DecoderChain} (a BOS in front keeps the space after it, as in llama.cpp).
 */
final class Detokenizer implements TextDecoder {
    private final TokenPieces pieces;
    private final boolean addSpacePrefix;
    private final boolean cleanSpaces;

    Detokenizer(TokenPieces pieces, boolean addSpacePrefix, boolean cleanSpaces) {
        this.pieces = pieces;
        this.addSpacePrefix = addSpacePrefix;
        this.cleanSpaces = cleanSpaces;
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        byte[] text = new byte[64];
        int total = 0;
        // Only the very first token may lose a space: a BOS in front (which renders as nothing unless
        // renderSpecial) uses up that chance, so "<s> Hello" decodes to " Hello", as in llama.cpp.
        boolean removeSpace = addSpacePrefix;
        for (int id : ids) {
            byte[] piece = pieces.piece(id, renderSpecial);
            int from = removeSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            removeSpace = false;
            int n = piece.length - from;
            if (total + n > text.length) {
                text = Arrays.copyOf(text, Math.max(text.length * 2, total + n));
            }
            System.arraycopy(piece, from, text, total, n);
            total += n;
        }
        if (cleanSpaces) {
            total = cleanUp(text, total);
        }
        return new String(text, 0, total, StandardCharsets.UTF_8);
    }

    /**
     * llama.cpp's three clean-up passes, on bytes and in place, kept literally (including the NUL it
     * writes over a removed space, which the next comparison may see).
     */
    static int cleanUp(byte[] text, int total) {
        // 1: " ?", " !", " .", " ," lose the space
        int total1 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total1; ++i) {
            byte x = text[i];
            if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                total--;
            }
            text[total++] = x;
        }
        // 2: " ' " becomes "'"
        int total2 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total2; ++i) {
            byte x = text[i];
            if (x == '\'' && i + 1 < total2 && text[i - 1] == ' ' && text[i + 1] == ' ') {
                total--;
                text[++i] = 0;
            }
            text[total++] = x;
        }
        // 3: " 's", " 'm", " 're", " 've" lose the space (" 't", " 'd", " 'll" keep it)
        int total3 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total3; ++i) {
            byte x = text[i];
            if (text[i - 1] == ' ' && x == '\'' && i + 1 < total3) {
                byte x1 = text[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < total3) {
                    byte x2 = text[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        total--;
                    }
                }
            }
            text[total++] = x;
        }
        return total;
    }
}
