package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.gguf.GgufValue;
import org.junit.jupiter.api.Test;

/** Score order, ties, space prefix and byte/UNK fallback of SentencePiece BPE, on hand-made vocabularies. */
class SentencePieceBpeTest {
    private static TestVocab letters() {
        return TestVocab.sentencePiece().token("▁", 1, -10).token("a", 1, -10).token("b", 1, -10).token("c", 1, -10);
    }

    @Test
    void highestScoreMergesFirst() {
        TestVocab v = letters().token("ab", 1, -2).token("bc", 1, -1)
                .key("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        assertThat(v.build().encode("abc", false, false)).containsExactly(v.id("a"), v.id("bc"));
    }

    @Test
    void leftmostPairWinsATie() {
        TestVocab v = letters().token("aa", 1, -1).key("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        assertThat(v.build().encode("aaa", false, false)).containsExactly(v.id("aa"), v.id("a"));
    }

    /** llama.cpp prefixes a space at the start and after every special token; decoding drops the first one. */
    @Test
    void spacePrefixAtStartAndAfterSpecialTokens() {
        TestVocab v = letters().token("▁a", 1, -1);
        Tokenizer tok = v.build();
        assertThat(tok.encode("a</s>a", true, true)).containsExactly(1, v.id("▁a"), 2, v.id("▁a"));
        assertThat(tok.encode("a", false, false)).containsExactly(v.id("▁a"));
        assertThat(tok.decode(new int[] {v.id("▁a"), v.id("▁a")}, false)).isEqualTo("a a");
    }

    @Test
    void unknownCharactersBecomeByteTokens() {
        Tokenizer tok = letters().key("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false)).build();
        // byte tokens <0x00>..<0xFF> are ids 3..258
        assertThat(tok.encode("é", false, false)).containsExactly(3 + 0xC3, 3 + 0xA9);
        assertThat(tok.decode(new int[] {3 + 0xC3, 3 + 0xA9}, false)).isEqualTo("é");
    }

    /** A lone surrogate has no UTF-8 form: it is tokenized as U+FFFD, as llama.cpp treats invalid UTF-8. */
    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        Tokenizer tok = letters().key("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false)).build();
        assertThat(tok.encode("a\uD800", false, false)).containsExactly(tok.encode("a\uFFFD", false, false));
        assertThat(tok.encode("\uDC00", false, false)).containsExactly(3 + 0xEF, 3 + 0xBF, 3 + 0xBD);
    }

    /** Without byte tokens llama.cpp would abort; UNK is the better answer. */
    @Test
    void withoutByteTokensUnknownCharactersBecomeUnk() {
        TestVocab v = TestVocab.empty("llama").token("<unk>", 2, 0).token("<s>", 3, 0).token("</s>", 3, 0)
                .token("a", 1, 0).key("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        assertThat(v.build().encode("aé", false, false)).containsExactly(v.id("a"), 0, 0);
    }

    @Test
    void bosIsAddedByDefault() {
        Tokenizer tok = letters().build();
        assertThat(tok.encode("", true, false)).containsExactly(1);
        assertThat(tok.encode("", false, false)).isEmpty();
        assertThat(tok.addsBos()).isTrue();
        assertThat(tok.bosId()).isEqualTo(1);
        assertThat(tok.eosId()).isEqualTo(2);
        assertThat(tok.isEndOfGeneration(2)).isTrue();
    }
}
