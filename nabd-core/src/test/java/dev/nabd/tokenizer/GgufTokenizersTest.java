package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the loader accepts, refuses, and how it says so. */
class GgufTokenizersTest {

    /**
     * BERT's WordPiece loads as llama.cpp builds it: the tiny BERT of the golden set gives llama.cpp's
     * prompt ids ([CLS] ... [SEP]) and pieces ("prompt_ids", "prompt_detok" of bert-F32-C.json).
     */
    @Test
    void wordPieceMatchesLlamaCpp() {
        Tokenizer tok = TokenizerTestData.fromGguf("golden/bert/tiny-bert-F32.gguf");
        java.util.Map<String, Object> golden = Json.object(Json.parse(TokenizerTestData.read(
                TokenizerTestData.shared("golden/bert/bert-F32-C.json"))));
        int[] ids = tok.encode((String) golden.get("prompt_text"), true, true);
        assertThat(ids).containsExactly(Json.ints(golden.get("prompt_ids")));
        StringBuilder pieces = new StringBuilder();
        for (int id : ids) {
            pieces.append(new String(tok.tokenBytes(id, true), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(pieces.toString()).isEqualTo(golden.get("prompt_detok"));
        assertThat(tok.bosId()).isEqualTo(2);
    }

    @Test
    void otherModelsAreRefusedByName() {
        assertThatThrownBy(() -> TestVocab.empty("t5").token("a").build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("'t5'");
        assertThatThrownBy(() -> TestVocab.empty("klingon").token("a").build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("unknown tokenizer model 'klingon'");
    }

    @Test
    void missingKeysAreNamed() {
        assertThatThrownBy(() -> GgufTokenizers.load(new GgufMetadata("x.gguf", Map.of())))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.model");
        Map<String, GgufValue> noTokens = new LinkedHashMap<>();
        noTokens.put("tokenizer.ggml.model", GgufValue.ofString("llama"));
        assertThatThrownBy(() -> GgufTokenizers.load(new GgufMetadata("x.gguf", noTokens)))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.tokens");
        Map<String, GgufValue> noMerges = new LinkedHashMap<>(TestVocab.byteLevel("qwen2").metadata().asMap());
        noMerges.remove("tokenizer.ggml.merges");
        assertThatThrownBy(() -> GgufTokenizers.load(new GgufMetadata("x.gguf", noMerges)))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.merges");
    }

    @Test
    void unknownPreTokenizerIsNamed() {
        assertThatThrownBy(() -> TestVocab.byteLevel("tekken").build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("'tekken'").hasMessageContaining("qwen2");
    }

    @Test
    void malformedValuesAreReported() {
        assertThatThrownBy(() -> TestVocab.byteLevel("qwen2").key("tokenizer.ggml.model", GgufValue.ofUint32(2)).build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.model");
        assertThatThrownBy(() -> TestVocab.byteLevel("qwen2").key("tokenizer.ggml.token_type",
                        GgufValue.ofArray(new GgufArray(GgufValueType.INT32, new int[] {1}))).build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.token_type");
        assertThatThrownBy(() -> TestVocab.byteLevel("qwen2").token("a").build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("duplicate token");
    }

    @Test
    void addBosWithoutBosIsAnError() {
        assertThatThrownBy(() -> TestVocab.byteLevel("glm4").key("tokenizer.ggml.add_bos_token", GgufValue.ofBool(true)).build())
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.bos_token_id");
    }

    /** Without tokenizer.ggml.pre llama.cpp uses its "default" regexes (GPT-2's among three more). */
    @Test
    void missingPreTokenizerMeansDefault() {
        Map<String, GgufValue> kv = new LinkedHashMap<>(TestVocab.byteLevel("x").metadata().asMap());
        kv.remove("tokenizer.ggml.pre");
        Tokenizer tok = GgufTokenizers.load(new GgufMetadata("x.gguf", kv));
        assertThat(tok.decode(tok.encode("it's 12345 a+b", false, false), false)).isEqualTo("it's 12345 a+b");
    }

    @Test
    void llamaBpeAddsBosByDefaultQwenDoesNot() {
        assertThat(TestVocab.byteLevel("llama-bpe").token("<|begin_of_text|>", 3, 0)
                .key("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(256)).build().encode("a", true, false))
                .containsExactly(256, 'a');
        assertThat(TestVocab.byteLevel("qwen2").token("<|endoftext|>", 3, 0)
                .key("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(256)).build().encode("a", true, false))
                .containsExactly('a');
    }

    @Test
    void tokenBytesAndIdsAreChecked() {
        Tokenizer tok = TestVocab.byteLevel("qwen2").build();
        assertThat(tok.vocabSize()).isEqualTo(256);
        assertThatThrownBy(() -> tok.tokenBytes(256, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tok.tokenText(-1)).isInstanceOf(IllegalArgumentException.class);
        byte[] small = new byte[1];
        assertThat(tok.copyTokenBytes('a', false, small, 0)).isEqualTo(1);
        assertThat(small[0]).isEqualTo((byte) 'a');
        assertThat(tok.copyTokenBytes('a', false, small, 1)).isEqualTo(-1);
    }
}
