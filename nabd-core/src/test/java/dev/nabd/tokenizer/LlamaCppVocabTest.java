package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tokenizer.TokenizerTestData.HfCase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's own tokenizer regression tests (tokenizers/llamacpp/): its vocab-only GGUFs with the
 * Hugging Face ids it checks against. They cover pre-tokenizers beyond the required ones (GPT-2, MPT,
 * StarCoder, Refact, Falcon, DeepSeek Coder and LLM) and two SentencePiece vocabularies (Llama 2, and
 * Phi-3 whose special tokens swallow the whitespace after them).
 */
class LlamaCppVocabTest {
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return Stream.of("gpt-2", "mpt", "starcoder", "refact", "falcon", "deepseek-coder", "deepseek-llm",
                        "llama-spm", "phi-3")
                .flatMap(v -> TokenizerTestData.hfCases("tokenizers/llamacpp/cases_" + v + ".jsonl").stream()
                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(String vocab, HfCase c) {
        Tokenizer tok = TOKENIZERS.computeIfAbsent(vocab,
                v -> TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-" + v + ".gguf"));
        assertThat(tok.encode(c.text(), c.addSpecial(), !c.splitSpecial())).containsExactly(c.ids());
    }
}
