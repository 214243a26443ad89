package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tokenizer.TokenizerTestData.HfCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's own tokenizer regression tests (tokenizers/llamacpp/): its vocab-only GGUFs with the
 * Hugging Face ids it checks against. They cover pre-tokenizers beyond the required ones (GPT-2, MPT,
 * StarCoder, Refact, Falcon, DeepSeek Coder and LLM), two SentencePiece vocabularies (Llama 2, and
 * Phi-3 whose special tokens swallow the whitespace after them) and a WordPiece one (BGE, a BERT).
 */
class LlamaCppVocabTest {
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return Stream.of("gpt-2", "mpt", "starcoder", "refact", "falcon", "deepseek-coder", "deepseek-llm",
                        "llama-spm", "phi-3", "bert-bge")
                .flatMap(v -> TokenizerTestData.hfCases("tokenizers/llamacpp/cases_" + v + ".jsonl").stream()
                        .map(c -> Arguments.of(v, c)));
    }

    /** Every vocabulary with a GGUF in the folder is in the list above. */
    @Test
    void everyVocabularyWithAGgufIsTested() throws java.io.IOException {
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(TokenizerTestData.shared("tokenizers/llamacpp"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf"))
                    .map(n -> n.substring("ggml-vocab-".length(), n.length() - ".gguf".length())))
                    .containsExactlyInAnyOrderElementsOf(cases().map(a -> (String) a.get()[0]).distinct().toList());
        }
    }

    /**
     * The cases files are llama.cpp's own test files, all of them: the texts of {@code .gguf.inp} (each
     * followed by the separator line) and the ids of {@code .gguf.out}, one line per text.
     */
    @Test
    void theCasesAreLlamaCppsOwnTestFiles() {
        for (String vocab : cases().map(a -> (String) a.get()[0]).distinct().toList()) {
            String inp = TokenizerTestData.read(TokenizerTestData.shared("tokenizers/llamacpp/ggml-vocab-" + vocab + ".gguf.inp"));
            String out = TokenizerTestData.read(TokenizerTestData.shared("tokenizers/llamacpp/ggml-vocab-" + vocab + ".gguf.out"));
            List<String> texts = new ArrayList<>(List.of(inp.split("\n__ggml_vocab_test__\n", -1)));
            assertThat(texts.removeLast()).as(vocab + ": the .inp ends with a separator").isEmpty();
            List<String> ids = out.lines().toList();
            List<HfCase> cases = TokenizerTestData.hfCases("tokenizers/llamacpp/cases_" + vocab + ".jsonl");
            assertThat(cases).as(vocab).hasSize(texts.size()).hasSize(ids.size());
            for (int i = 0; i < cases.size(); i++) {
                assertThat(cases.get(i).text()).as(vocab + " " + i).isEqualTo(texts.get(i));
                int[] want = ids.get(i).isBlank() ? new int[0]
                        : Arrays.stream(ids.get(i).trim().split(" +")).mapToInt(Integer::parseInt).toArray();
                assertThat(cases.get(i).ids()).as(vocab + " " + i).containsExactly(want);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(String vocab, HfCase c) {
        Tokenizer tok = TOKENIZERS.computeIfAbsent(vocab,
                v -> TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-" + v + ".gguf"));
        assertThat(tok.encode(c.text(), c.addSpecial(), !c.splitSpecial())).containsExactly(c.ids());
    }
}
