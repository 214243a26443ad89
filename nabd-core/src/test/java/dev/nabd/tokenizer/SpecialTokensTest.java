package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.gguf.GgufValue;
import org.junit.jupiter.api.Test;

/** Splitting out special-token text, and which tokens end generation. */
class SpecialTokensTest {

    @Test
    void longestSpecialTokenIsSplitOutFirst() {
        TestVocab v = TestVocab.byteLevel("qwen2").token("<x>", 3, 0).token("<x><y>", 3, 0);
        assertThat(v.build().encode("a<x><y>b<x>", false, true))
                .containsExactly('a', v.id("<x><y>"), 'b', v.id("<x>"));
    }

    @Test
    void userDefinedTokensAreRecognisedEvenWithoutParseSpecial() {
        TestVocab v = TestVocab.byteLevel("qwen2").token("<think>", 4, 0).token("<|im_start|>", 3, 0);
        Tokenizer tok = v.build();
        assertThat(tok.encode("<think>", false, false)).containsExactly(v.id("<think>"));
        assertThat(tok.encode("<|im_start|>", false, false)).hasSize("<|im_start|>".length());
        assertThat(tok.encode("<|im_start|>", false, true)).containsExactly(v.id("<|im_start|>"));
    }

    @Test
    void controlTokensRenderOnlyWhenAskedUserDefinedAlways() {
        Tokenizer tok = TokenizerTestData.fromGguf("golden/tokenizer/qwen3-real-vocab.gguf");
        int imStart = 151644;
        int think = 151667;
        assertThat(tok.tokenText(imStart)).isEqualTo("<|im_start|>");
        assertThat(tok.tokenBytes(imStart, false)).isEmpty();
        assertThat(new String(tok.tokenBytes(imStart, true), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("<|im_start|>");
        assertThat(new String(tok.tokenBytes(think, false), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("<think>");
        assertThat(tok.decode(tok.encode("<|im_start|>user\nhi<|im_end|>", false, true), false)).isEqualTo("user\nhi");
    }

    /**
     * llama.cpp's end-of-generation set for Qwen: EOS, the EOT found by text, the FIM pad/repo/sep tokens,
     * and — by llama.cpp's text rule for "</s>" (PaddleOCR) — Qwen's ordinary "</s>" token 128247.
     */
    @Test
    void qwenEndOfGenerationSetIsLlamaCpps() {
        Tokenizer tok = TokenizerTestData.fromGguf("golden/tokenizer/qwen3-real-vocab.gguf");
        assertThat(tok.eosId()).isEqualTo(151645);
        assertThat(tok.tokenText(128247)).isEqualTo("</s>");
        assertThat(tok.endOfGenerationIds()).containsExactly(128247, 151643, 151645, 151662, 151663, 151664);
        assertThat(tok.isEndOfGeneration(151645)).isTrue();
        assertThat(tok.isEndOfGeneration(151644)).isFalse();
        assertThat(tok.isEndOfGeneration(-1)).isFalse();
    }

    /** A token named like an end-of-turn token ends generation and becomes a control token. */
    @Test
    void endOfTurnTextIsDetected() {
        TestVocab v = TestVocab.byteLevel("qwen2").token("<|eot_id|>", 1, 0).token("<|endoftext|>", 3, 0)
                .key("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(257));
        Tokenizer tok = v.build();
        assertThat(tok.isEndOfGeneration(v.id("<|eot_id|>"))).isTrue();
        assertThat(tok.isEndOfGeneration(v.id("<|endoftext|>"))).isTrue();
        assertThat(tok.tokenBytes(v.id("<|eot_id|>"), false)).isEmpty();
        assertThat(tok.encode("<|eot_id|>", false, false)).hasSize(10);
        assertThat(tok.encode("<|eot_id|>", false, true)).containsExactly(v.id("<|eot_id|>"));
    }

    /** gpt-oss: "<|end|>" closes a message, not the generation, when "<|return|>" and "<|call|>" exist. */
    @Test
    void harmonyEndIsNotEndOfGeneration() {
        TestVocab v = TestVocab.byteLevel("qwen2").token("<|return|>", 3, 0).token("<|call|>", 3, 0).token("<|end|>", 3, 0);
        Tokenizer tok = v.build();
        assertThat(tok.isEndOfGeneration(v.id("<|return|>"))).isTrue();
        assertThat(tok.isEndOfGeneration(v.id("<|call|>"))).isTrue();
        assertThat(tok.isEndOfGeneration(v.id("<|end|>"))).isFalse();
    }

    /** Phi-3's special tokens swallow the whitespace after them (llama.cpp sets RSTRIP by model name). */
    @Test
    void phi3SpecialTokensStripWhitespaceAfterThem() {
        Tokenizer tok = TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-phi-3.gguf");
        int user = 32010; // <|user|>
        assertThat(tok.tokenText(user)).isEqualTo("<|user|>");
        int[] spaced = tok.encode("<|user|> \n Hi", false, true);
        assertThat(spaced[0]).isEqualTo(user);
        assertThat(spaced).containsExactly(tok.encode("<|user|>Hi", false, true));
    }

    @Test
    void addEosAppendsEos() {
        Tokenizer tok = TestVocab.byteLevel("qwen2").token("<eos>", 3, 0)
                .key("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(256))
                .key("tokenizer.ggml.add_eos_token", GgufValue.ofBool(true)).build();
        assertThat(tok.encode("a", true, false)).containsExactly('a', 256);
        assertThat(tok.encode("a", false, false)).containsExactly('a');
    }
}
