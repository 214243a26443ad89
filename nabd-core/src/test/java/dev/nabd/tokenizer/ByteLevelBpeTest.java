package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Merge order, ties, ignore_merges and byte fallback of byte-level BPE, on hand-made vocabularies. */
class ByteLevelBpeTest {

    @Test
    void lowestRankMergesFirst() {
        TestVocab v = TestVocab.byteLevel("qwen2").merge("a", "b").merge("b", "c");
        assertThat(v.build().encode("abc", false, false)).containsExactly(v.id("ab"), 'c');
        TestVocab w = TestVocab.byteLevel("qwen2").merge("b", "c").merge("a", "b");
        assertThat(w.build().encode("abc", false, false)).containsExactly('a', w.id("bc"));
    }

    @Test
    void leftmostPairWinsATie() {
        TestVocab v = TestVocab.byteLevel("qwen2").merge("a", "a");
        assertThat(v.build().encode("aaa", false, false)).containsExactly(v.id("aa"), 'a');
    }

    @Test
    void mergesBuildOnMergedSymbols() {
        TestVocab v = TestVocab.byteLevel("qwen2").merge("a", "a").merge("aa", "aa").merge("aaaa", "a");
        assertThat(v.build().encode("aaaaa", false, false)).containsExactly(v.id("aaaaa"));
    }

    /** Llama 3's ignore_merges: a word that is a token is one token even if no merge path leads to it. */
    @Test
    void llama3EmitsWholeWordTokens() {
        TestVocab v = TestVocab.byteLevel("llama-bpe").token("xyz").key("tokenizer.ggml.add_bos_token", GgufValue.ofBool(false));
        assertThat(v.build().encode("xyz", false, false)).containsExactly(v.id("xyz"));
        TestVocab w = TestVocab.byteLevel("qwen2").token("xyz");
        assertThat(w.build().encode("xyz", false, false)).containsExactly('x', 'y', 'z');
    }

    /** A merge may produce a string that is not a token; it can still merge on, or fall back to bytes. */
    @Test
    void mergeResultsOutsideTheVocabularyFallBackToBytes() {
        TestVocab v = TestVocab.byteLevel("qwen2").token("abc");
        GgufArray merges = new GgufArray(GgufValueType.STRING, new String[] {"a b", "ab c"});
        Tokenizer tok = GgufTokenizers.load(v.key("tokenizer.ggml.merges", GgufValue.ofArray(merges)).metadata());
        assertThat(tok.encode("abc", false, false)).containsExactly(v.id("abc"));
        assertThat(tok.encode("abd", false, false)).containsExactly('a', 'b', 'd');
    }

    @Test
    void multiByteCharactersAreByteTokens() {
        Tokenizer tok = TestVocab.byteLevel("qwen2").build();
        assertThat(tok.encode("é", false, false)).containsExactly(0xC3, 0xA9);
        assertThat(tok.decode(new int[] {0xC3, 0xA9}, false)).isEqualTo("é");
        assertThat(tok.tokenBytes(' ', false)).containsExactly(' ');
        assertThat(tok.tokenText(' ')).isEqualTo("Ġ");
    }

    @Test
    void aLongWordMergesInNLogNTime() {
        TestVocab v = TestVocab.byteLevel("qwen2");
        String piece = "a";
        for (int i = 0; i < 10; i++) {
            v.merge(piece, piece);
            piece = piece + piece;
        }
        Tokenizer tok = v.build();
        String text = "a".repeat(200_000);
        int[][] ids = new int[1][];
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ids[0] = tok.encode(text, false, false));
        assertThat(ids[0]).hasSize(200_000 / 1024 + Integer.bitCount(200_000 % 1024));
        assertThat(tok.decode(ids[0], false)).isEqualTo(text);
    }

    @Test
    void repeatedWordsGiveTheSameTokens() {
        Tokenizer tok = TestVocab.byteLevel("qwen2").merge("h", "i").build();
        int[] once = tok.encode("hi", false, false);
        assertThat(tok.encode("hi hi hi", false, false)).containsExactly(once[0], ' ', once[0], ' ', once[0]);
    }
}
