package dev.nabd.tokenizer;

import java.util.List;

/**
 * Byte-level BPE (GGUF {@code tokenizer.ggml.model = gpt2}: GPT-2, Llama 3, Qwen, DeepSeek ...): special
 * tokens split out, the rest pre-tokenized into words by the model's regexes, each word merged
 * separately.
 */
final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
    private final PreTokenizer preTokenizer;
    private final ByteLevelBpe bpe;

    ByteLevelBpeTokenizer(Vocabulary vocab, SpecialTokens specials, Settings settings, PreTokenizer preTokenizer,
                          ByteLevelBpe bpe) {
        super(vocab, specials, settings, TokenPieces.byteLevel(vocab));
        this.preTokenizer = preTokenizer;
        this.bpe = bpe;
    }

    @Override
    void encodeFragments(String text, List<SpecialTokenSplitter.Fragment> fragments, IntList out) {
        for (SpecialTokenSplitter.Fragment f : fragments) {
            if (f.isToken()) {
                out.add(f.token());
                continue;
            }
            for (String word : preTokenizer.split(text.substring(f.start(), f.end()))) {
                bpe.encode(word, out);
            }
        }
    }
}
