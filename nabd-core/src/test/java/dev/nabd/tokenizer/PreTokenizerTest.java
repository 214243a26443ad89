package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Splitting text into words the way llama.cpp's pre-tokenizers do. */
class PreTokenizerTest {

    private static List<String> split(List<String> regexes, String text) {
        return PreTokenizer.ofRegexes(regexes).split(text);
    }

    @Test
    void llama3GroupsDigitsByThreeAndKeepsContractions() {
        assertThat(split(BpePreTokenizers.LLAMA3, "I'LL pay 1234567 now!!\n\n  ok"))
                .containsExactly("I", "'LL", " pay", " ", "123", "456", "7", " now", "!!\n\n", " ", " ok");
    }

    @Test
    void qwen2SplitsEveryDigit() {
        assertThat(split(BpePreTokenizers.QWEN2, "x=123")).containsExactly("x", "=", "1", "2", "3");
    }

    @Test
    void gpt2KeepsTheSpaceWithTheWord() {
        assertThat(split(BpePreTokenizers.GPT2, "Hello  world's end")).containsExactly("Hello", " ", " world", "'s", " end");
    }

    /** DeepSeek-V3 runs three regexes, each re-splitting the fragments of the one before. */
    @Test
    void deepSeek3AppliesItsRegexesInSequence() {
        assertThat(split(BpePreTokenizers.DEEPSEEK3, "abc12345你好ab.Cd"))
                .containsExactly("abc", "123", "45", "你好", "ab", ".Cd");
    }

    /**
     * llama.cpp's stand-in for {@code \p{S}} lists the ASCII symbols {@code $+<=>^`|} but not {@code ~}:
     * so " ~" is not punctuation-or-symbol there (Hugging Face keeps " ~" together).
     */
    @Test
    void tildeIsNeitherPunctuationNorSymbolInCollapsedRegexes() {
        assertThat(split(BpePreTokenizers.DEEPSEEK3, "a ~w")).containsExactly("a", " ", "~w");
        assertThat(split(BpePreTokenizers.DEEPSEEK3, "a +w")).containsExactly("a", " +", "w");
    }

    /**
     * DeepSeek LLM's cased-letter class ends ranges on U+1FD3 and U+212A, which NFC turns into U+0390 and
     * "K": written that way, one range would be reversed and another ("K-ℭ") would swallow Arabic.
     */
    @Test
    void deepSeekLlmLetterClassIsNotNormalised() {
        List<String> letters = List.of(BpePreTokenizers.DEEPSEEK_LLM.get(1));
        assertThat(split(letters, " \u1FD3\u212A\u0627")).containsExactly(" \u1FD3\u212A", "\u0627");
        // its third regex, [!-/:-~...], covers ASCII letters too: llama.cpp (and Hugging Face) split there
        assertThat(split(BpePreTokenizers.DEEPSEEK_LLM, "a \u1FD3b")).containsExactly("a", " ", "\u1FD3", "b");
    }

    @Test
    void nonAsciiWhitespaceCountsAsWhitespace() {
        assertThat(split(BpePreTokenizers.QWEN2, "a\u00A0\u00A0b")).containsExactly("a", "\u00A0", "\u00A0b");
        assertThat(split(BpePreTokenizers.LLAMA3, "a\u3000\u3000b")).containsExactly("a", "\u3000", "\u3000b");
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertThat(String.join("", split(BpePreTokenizers.QWEN2, "a\uD800b"))).isEqualTo("a\uFFFDb");
    }

    @Test
    void emptyTextHasNoWords() {
        assertThat(split(BpePreTokenizers.DEFAULT, "")).isEmpty();
    }

    @Test
    void regexesAreRewrittenForTheCollapsedText() {
        assertThat(RegexSplitter.of("\\p{N}{1,3}").javaPattern()).isEqualTo("[\u00D10-9]{1,3}");
        assertThat(RegexSplitter.of("[^\\s\\p{L}]").javaPattern()).isEqualTo("[^\\s\u00D2A-Za-z]");
        assertThat(RegexSplitter.of("\\s+$").javaPattern()).isEqualTo("\\s+\\z");
        assertThat(RegexSplitter.of("[一-龥]+").isCollapsed()).isFalse();
        assertThatThrownBy(() -> RegexSplitter.of("[一-龥\\p{L}]+"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("non-ASCII");
    }

    static Stream<String> texts() {
        return Stream.of("qwen3", "llama3").flatMap(f ->
                TokenizerTestData.hfCases("tokenizers/" + f + "/cases.jsonl").stream().map(TokenizerTestData.HfCase::text));
    }

    /** The hand-coded GPT-2 and Llama 3 splitters agree with the generic regex path on every reference text. */
    @ParameterizedTest
    @MethodSource("texts")
    void handCodedSplittersAgreeWithTheRegexes(String text) {
        SplitText t = SplitText.of(text);
        IntList whole = new IntList();
        whole.add(t.length());
        assertThat(new Llama3Splitter().split(t, whole).toArray())
                .containsExactly(RegexSplitter.of(Llama3Splitter.REGEX).split(t, whole).toArray());
        assertThat(new Gpt2Splitter().split(t, whole).toArray())
                .containsExactly(RegexSplitter.of(Gpt2Splitter.REGEX).split(t, whole).toArray());
    }
}
