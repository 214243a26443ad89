package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tokenizer.TokenizerTestData.HfCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code tokenizer.json} of the reference data against Hugging Face {@code tokenizers}
 * (tokenizers/README.md): each case of the folder's cases.jsonl gives the same ids, {@code decoded} and
 * {@code decoded_skip_special}. {@code split_special_tokens = true} is {@code parseSpecial = false};
 * {@code skip_special_tokens = true} is {@code renderSpecial = false}. No case is left out.
 */
class TokenizerJsonReferenceTest {
    /**
     * The folders with cases, found on disk so that a new one is not missed (one without a tokenizer.json
     * fails to load rather than being skipped).
     */
    private static final List<String> FOLDERS = folders();

    /**
     * llama.cpp's tests of vocabularies whose GGUF is missing here, run through the tokenizer.json the
     * README found identical on them (the ids are Hugging Face's in both files).
     */
    private static final Map<String, List<String>> LLAMACPP_SAME_VOCAB = Map.of(
            "qwen2", List.of("qwen3"),
            "llama-bpe", List.of("llama3", "llama3_1"),
            "bert-bge", List.of("bert_minilm"),
            "gemma-4", List.of("gemma3"));

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Tokenizer tokenizer(String folder) {
        return TOKENIZERS.computeIfAbsent(folder, f -> TokenizerJson.load(TokenizerTestData.shared("tokenizers/" + f)));
    }

    private static List<String> folders() {
        try (Stream<Path> dirs = Files.list(TokenizerTestData.shared("tokenizers"))) {
            return dirs.filter(d -> Files.exists(d.resolve("cases.jsonl")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyTokenizerOfTheReferenceDataIsTested() {
        assertThat(FOLDERS).containsExactly("bert_minilm", "deepseek_v3", "gemma3", "llama3", "llama3_1", "mistral_spm",
                "qwen3");
        assertThat(cases().count()).isEqualTo(7 * 160);
    }

    static Stream<Arguments> cases() {
        return FOLDERS.stream().flatMap(f -> TokenizerTestData.hfCases("tokenizers/" + f + "/cases.jsonl").stream()
                .map(c -> Arguments.of(f, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void ids(String folder, HfCase c) {
        assertThat(tokenizer(folder).encode(c.text(), c.addSpecial(), !c.splitSpecial())).containsExactly(c.ids());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void decoded(String folder, HfCase c) {
        assertThat(tokenizer(folder).decode(c.ids(), true)).isEqualTo(c.decoded());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void decodedSkipSpecial(String folder, HfCase c) {
        assertThat(tokenizer(folder).decode(c.ids(), false)).isEqualTo(c.decodedSkipSpecial());
    }

    static Stream<Arguments> llamaCppCases() {
        return LLAMACPP_SAME_VOCAB.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(e ->
                TokenizerTestData.hfCases("tokenizers/llamacpp/cases_" + e.getKey() + ".jsonl").stream()
                        .flatMap(c -> e.getValue().stream().map(f -> Arguments.of(f, c))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("llamaCppCases")
    void llamaCppTestsOfTheSameVocabulary(String folder, HfCase c) {
        assertThat(tokenizer(folder).encode(c.text(), c.addSpecial(), !c.splitSpecial())).containsExactly(c.ids());
    }
}
