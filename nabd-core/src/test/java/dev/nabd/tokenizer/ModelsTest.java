package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The models of tokenizer.json on hand-made vocabularies: BPE and its options, WordPiece, Unigram, WordLevel. */
class ModelsTest {

    /** A tokenizer that is just {@code model} (no pre-tokenizer: the whole text is one word). */
    private static Tokenizer model(String model) {
        return StageJson.tokenizer("{'model': " + model + "}");
    }

    private static final String ABC = "'vocab': {'a': 0, 'b': 1, 'c': 2, 'ab': 3, 'bc': 4, 'abc': 5}";

    @Test
    void mergesInEitherLayoutMergeByRank() {
        Tokenizer strings = model("{'type': 'BPE', " + ABC + ", 'merges': ['a b', 'ab c']}");
        Tokenizer pairs = model("{'type': 'BPE', " + ABC + ", 'merges': [['a', 'b'], ['ab', 'c']]}");
        assertThat(strings.encode("abc", false, true)).containsExactly(5);
        assertThat(pairs.encode("abc", false, true)).containsExactly(5);
        Tokenizer bcFirst = model("{'type': 'BPE', " + ABC + ", 'merges': ['b c', 'a b']}");
        assertThat(bcFirst.encode("abc", false, true)).containsExactly(0, 4);
        assertThat(bcFirst.encode("abab", false, true)).containsExactly(3, 3);
    }

    @Test
    void unknownCharactersFallBackToBytesThenUnkThenNothing() {
        String bytes = "'<0xC3>': 6, '<0xA9>': 7, '[UNK]': 8";
        Tokenizer fallback = model("{'type': 'BPE', " + ABC.replace("}", ", " + bytes + "}")
                + ", 'merges': [], 'byte_fallback': true, 'unk_token': '[UNK]'}");
        assertThat(fallback.encode("aéb", false, true)).containsExactly(0, 6, 7, 1);
        assertThat(fallback.encode("a€", false, true)).containsExactly(0, 8); // no byte tokens for €: unknown
        Tokenizer fused = model("{'type': 'BPE', " + ABC.replace("}", ", " + bytes + "}")
                + ", 'merges': [], 'unk_token': '[UNK]', 'fuse_unk': true}");
        assertThat(fused.encode("axyzb", false, true)).containsExactly(0, 8, 1);
        Tokenizer separate = model("{'type': 'BPE', " + ABC.replace("}", ", " + bytes + "}")
                + ", 'merges': [], 'unk_token': '[UNK]', 'fuse_unk': false}");
        assertThat(separate.encode("axyzb", false, true)).containsExactly(0, 8, 8, 8, 1);
        Tokenizer dropping = model("{'type': 'BPE', " + ABC + ", 'merges': []}");
        assertThat(dropping.encode("axb", false, true)).containsExactly(0, 1);
    }

    /** Llama 3's ignore_merges: a word that is a token is that token, whatever the merges say. */
    @Test
    void ignoreMergesTakesWholeWords() {
        Tokenizer t = model("{'type': 'BPE', " + ABC + ", 'merges': ['b c'], 'ignore_merges': true}");
        assertThat(t.encode("abc", false, true)).containsExactly(5);
        assertThat(t.encode("abcc", false, true)).containsExactly(0, 4, 2);
    }

    @Test
    void continuingSubwordPrefixAndEndOfWordSuffix() {
        Tokenizer prefix = model("{'type': 'BPE', 'vocab': {'a': 0, '##b': 1, 'ab': 2, 'b': 3},"
                + " 'merges': ['a ##b'], 'continuing_subword_prefix': '##'}");
        assertThat(prefix.encode("ab", false, true)).containsExactly(2);
        assertThat(prefix.encode("ba", false, true)).containsExactly(3); // 'a' after the start is '##a', not a token
        Tokenizer suffix = model("{'type': 'BPE', 'vocab': {'a': 0, 'b</w>': 1, 'ab</w>': 2, 'b': 3},"
                + " 'merges': ['a b</w>'], 'end_of_word_suffix': '</w>'}");
        assertThat(suffix.encode("ab", false, true)).containsExactly(2);
        assertThat(suffix.encode("bab", false, true)).containsExactly(3, 2);
    }

    @Test
    void wordPieceIsGreedyLongestFirst() {
        Tokenizer t = model("{'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',"
                + " 'max_input_chars_per_word': 10, 'vocab': {'[UNK]': 0, 'un': 1, '##aff': 2, '##able': 3, 'a': 4, '##ff': 5}}");
        assertThat(t.encode("unaffable", false, true)).containsExactly(1, 2, 3);
        assertThat(t.encode("unx", false, true)).containsExactly(0); // a gap makes the whole word unknown
        assertThat(t.encode("unaffableun", false, true)).containsExactly(0); // longer than 10 characters
    }

    /** Viterbi: the segmentation with the best total score, not the greedy one. */
    @Test
    void unigramFindsTheBestSegmentation() {
        Tokenizer t = model("{'type': 'Unigram', 'unk_id': 0, 'vocab': [['<unk>', 0.0], ['a', -1.0], ['b', -1.0],"
                + " ['c', -1.0], ['ab', -3.0], ['bc', -1.5], ['abc', -10.0]]}");
        assertThat(t.encode("abc", false, true)).containsExactly(1, 5); // a + bc = -2.5 beats ab + c = -4 and abc = -10
        assertThat(t.encode("axxb", false, true)).containsExactly(1, 0, 2); // unknown characters fused into one <unk>
        Tokenizer bytes = model("{'type': 'Unigram', 'unk_id': 0, 'byte_fallback': true, 'vocab': [['<unk>', 0.0],"
                + " ['a', -1.0], ['<0xC3>', -5.0], ['<0xA9>', -5.0]]}");
        assertThat(bytes.encode("aé", false, true)).containsExactly(1, 2, 3);
    }

    @Test
    void wordLevel() {
        Tokenizer t = StageJson.tokenizer("{'model': {'type': 'WordLevel', 'vocab': {'<unk>': 0, 'hello': 1, 'world': 2},"
                + " 'unk_token': '<unk>'}, 'pre_tokenizer': {'type': 'WhitespaceSplit'}}");
        assertThat(t.encode("hello big world", false, true)).containsExactly(1, 0, 2);
    }

    @Test
    void modelErrorsAreNamed() {
        assertThatThrownBy(() -> model("{'type': 'BPE', " + ABC + ", 'merges': ['a x']}"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("model.merges")
                .hasMessageContaining("'x' is not in the vocabulary");
        assertThatThrownBy(() -> model("{'type': 'BPE', " + ABC + ", 'merges': ['c a']}"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("'ca' is not in the vocabulary");
        assertThatThrownBy(() -> model("{'type': 'BPE', " + ABC + ", 'merges': ['a b c']}"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("model.merges[0]: expected two tokens");
        Tokenizer noUnk = model("{'type': 'WordPiece', 'vocab': {'a': 0}}");
        assertThatThrownBy(() -> noUnk.encode("b", false, true))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("unk_token '[UNK]' is not in its vocabulary");
    }
}
