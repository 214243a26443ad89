package dev.nabd.tokenizer;

import java.util.List;

/**
 * SentencePiece BPE (GGUF {@code tokenizer.ggml.model = llama}: Llama 1/2, Mistral, TinyLlama ...):
 * special tokens split out; each text fragment gets a leading space when it starts the text or follows
 * a special token (if the vocabulary adds a space prefix), spaces become U+2581, and the fragment is
 * merged as a whole.
 */
final class SentencePieceTokenizer extends VocabularyTokenizer {
    private final SentencePieceBpe spm;

    SentencePieceTokenizer(Vocabulary vocab, SpecialTokens specials, Settings settings, SentencePieceBpe spm) {
        super(vocab, specials, settings, TokenPieces.sentencePiece(vocab));
        this.spm = spm;
    }

    @Override
    void encodeFragments(String text, List<SpecialTokenSplitter.Fragment> fragments, IntList out) {
        boolean previousSpecial = true; // the start of the text counts as following a special token
        for (SpecialTokenSplitter.Fragment f : fragments) {
            if (f.isToken()) {
                out.add(f.token());
                previousSpecial = true;
                continue;
            }
            String raw = text.substring(f.start(), f.end());
            String withPrefix = settings.addSpacePrefix() && previousSpecial ? " " + raw : raw;
            spm.encode(withPrefix.replace(' ', '\u2581'), out);
            previousSpecial = false;
        }
    }
}
