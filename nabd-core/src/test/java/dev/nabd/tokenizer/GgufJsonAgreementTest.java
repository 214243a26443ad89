package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tokenizer.TokenizerTestData.HfCase;
import java.text.Normalizer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One model, two files: the real Qwen3 vocabulary as a GGUF (golden/tokenizer/qwen3-real-vocab.gguf,
 * converted from the same tokenizer.json) and as tokenizer.json give the same ids and text, except where
 * llama.cpp, whose GGUF behaviour the GGUF path keeps, knowingly differs from Hugging Face.
 */
class GgufJsonAgreementTest {
    private static final Tokenizer GGUF = TokenizerTestData.fromGguf("golden/tokenizer/qwen3-real-vocab.gguf");
    private static final Tokenizer JSON = TokenizerJsonReferenceTest.tokenizer("qwen3");

    /** The case where llama.cpp makes Qwen's ordinary '</s>' an end-of-generation control token by its text. */
    private static final String CONTROL_BY_TEXT = "pub-special-012";

    static Stream<HfCase> all() {
        return TokenizerTestData.hfCases("tokenizers/qwen3/cases.jsonl").stream();
    }

    /**
     * Left out: texts that NFC changes (tokenizer.json normalizes to NFC first, llama.cpp has no
     * normalizer), and the '</s>' case.
     */
    static Stream<HfCase> cases() {
        return all().filter(c -> Normalizer.isNormalized(c.text(), Normalizer.Form.NFC) && !c.id().equals(CONTROL_BY_TEXT));
    }

    @Test
    void theCasesLeftOutAreTheOnesNamed() {
        long nonNfc = all().filter(c -> !Normalizer.isNormalized(c.text(), Normalizer.Form.NFC)).count();
        assertThat(nonNfc).isEqualTo(5);
        assertThat(all().count() - cases().count()).isEqualTo(nonNfc + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameIdsFromBothFiles(HfCase c) {
        assertThat(GGUF.encode(c.text(), c.addSpecial(), !c.splitSpecial()))
                .containsExactly(JSON.encode(c.text(), c.addSpecial(), !c.splitSpecial()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameTextFromBothFiles(HfCase c) {
        assertThat(GGUF.decode(c.ids(), true)).isEqualTo(JSON.decode(c.ids(), true));
        assertThat(GGUF.decode(c.ids(), false)).isEqualTo(JSON.decode(c.ids(), false));
    }

    /** One tokenizer implementation: both loaders only configure the stages of the same pipeline. */
    @Test
    void bothFilesGiveTheOnePipeline() {
        assertThat(GGUF).isInstanceOf(PipelineTokenizer.class);
        assertThat(JSON).isInstanceOf(PipelineTokenizer.class);
        for (String gguf : List.of("bert-bge", "llama-spm", "gpt-2")) {
            assertThat(TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-" + gguf + ".gguf"))
                    .isInstanceOf(PipelineTokenizer.class);
        }
    }

    @Test
    void sameSpecialTokens() {
        assertThat(GGUF.eosId()).isEqualTo(JSON.eosId()).isEqualTo(151645);
        assertThat(JSON.isEndOfGeneration(151645)).isTrue();
        assertThat(JSON.isEndOfGeneration(151643)).isTrue();
        assertThat(JSON.addsBos()).isFalse();
    }
}
