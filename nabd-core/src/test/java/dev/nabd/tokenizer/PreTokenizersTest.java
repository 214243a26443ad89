package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-tokenizers of tokenizer.json, built from their JSON, and the real Split regexes of the models
 * (as their tokenizer.json files write them) with Hugging Face's full Unicode classes.
 */
class PreTokenizersTest {
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}"
            + "| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+";
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}"
            + "| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+";
    static final String DEEPSEEK3 = "[\\\\p{N}]{1,3}";
    static final String DEEPSEEK3_CJK = "[一-龥぀-ゟ゠-ヿ]+";
    static final String DEEPSEEK3_MAIN = "[!\\\"#$%&'()*+,\\\\-./:;<=>?@\\\\[\\\\\\\\\\\\]^_`{|}~][A-Za-z]+"
            + "|[^\\\\r\\\\n\\\\p{L}\\\\p{P}\\\\p{S}]?[\\\\p{L}\\\\p{M}]+| ?[\\\\p{P}\\\\p{S}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+"
            + "|\\\\s+(?!\\\\S)|\\\\s+";

    private static List<String> words(String json, String text) {
        return StageJson.preTokenizer(json).split(text);
    }

    private static String split(String regex) {
        return "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"" + regex + "\"}, \"behavior\": \"Isolated\", \"invert\": false}";
    }

    @Test
    void qwen2SplitsDigitsOneByOneAndKeepsContractions() {
        assertThat(words(split(QWEN2), "I'M paying 1234 now!!\n\n  ok"))
                .containsExactly("I", "'M", " paying", " ", "1", "2", "3", "4", " now", "!!\n\n", " ", " ok");
    }

    @Test
    void llama3GroupsDigitsByThree() {
        assertThat(words(split(LLAMA3), "x=1234567 it'LL"))
                .containsExactly("x", "=", "123", "456", "7", " it", "'LL");
    }

    /** Unicode whitespace is \s for Oniguruma: a run of U+3000 behaves like a run of spaces. */
    @Test
    void unicodeWhitespaceIsWhitespace() {
        assertThat(words(split(LLAMA3), "a\u3000\u3000b\u00A0c")).containsExactly("a", "\u3000", "\u3000b", "\u00A0c");
    }

    /**
     * DeepSeek-V3's three Split stages, each re-splitting the words of the one before. Unlike llama.cpp,
     * Hugging Face counts "~" as a symbol, so " ~" stays one word.
     */
    @Test
    void deepSeekV3SplitsInThreeStages() {
        String json = "{\"type\": \"Sequence\", \"pretokenizers\": [" + split(DEEPSEEK3) + ", " + split(DEEPSEEK3_CJK)
                + ", " + split(DEEPSEEK3_MAIN) + "]}";
        assertThat(words(json, "abc12345你好ab.Cd a ~w")).containsExactly("abc", "123", "45", "你好", "ab", ".Cd", " a", " ~", "w");
    }

    @Test
    void byteLevelWithGpt2Split() {
        String json = "{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}";
        assertThat(words(json, "Hello  world's é")).containsExactly("ĠHello", "Ġ", "Ġworld", "'s", "ĠÃ©");
        String plain = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}";
        assertThat(words(plain, "Hello  world")).containsExactly("HelloĠĠworld");
    }

    @Test
    void metaspacePrependSchemes() {
        String always = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\", \"split\": true}";
        assertThat(words(always, "Hey my friend")).containsExactly("\u2581Hey", "\u2581my", "\u2581friend");
        String never = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"never\", \"split\": false}";
        assertThat(words(never, "Hey my friend")).containsExactly("Hey\u2581my\u2581friend");
        PreTokenizer first = StageJson.preTokenizer(
                "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"first\", \"split\": false}");
        List<String> seen = new ArrayList<>();
        first.split("a b", true, (w, s) -> seen.add(w));
        first.split("c", false, (w, s) -> seen.add(w));
        assertThat(seen).containsExactly("\u2581a\u2581b", "c");
        // older files: add_prefix_space instead of prepend_scheme
        assertThat(words("{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"add_prefix_space\": true}", "a b"))
                .containsExactly("\u2581a", "\u2581b");
    }

    @Test
    void whitespaceFamily() {
        assertThat(words("{\"type\": \"Whitespace\"}", "Hey man!! How's it going?"))
                .containsExactly("Hey", "man", "!!", "How", "'", "s", "it", "going", "?");
        assertThat(words("{\"type\": \"WhitespaceSplit\"}", "Hey man!!\u3000How's")).containsExactly("Hey", "man!!", "How's");
        assertThat(words("{\"type\": \"BertPreTokenizer\"}", "Hey, man!! $5 «ok»"))
                .containsExactly("Hey", ",", "man", "!", "!", "$", "5", "«", "ok", "»");
        assertThat(words("{\"type\": \"CharDelimiterSplit\", \"delimiter\": \"|\"}", "a|b||c")).containsExactly("a", "b", "c");
    }

    @Test
    void punctuationAndDigits() {
        assertThat(words("{\"type\": \"Punctuation\"}", "Hey,you!")).containsExactly("Hey", ",", "you", "!");
        assertThat(words("{\"type\": \"Punctuation\", \"behavior\": \"MergedWithPrevious\"}", "Hey,you!"))
                .containsExactly("Hey,", "you!");
        assertThat(words("{\"type\": \"Digits\", \"individual_digits\": true}", "Call 123 ٣"))
                .containsExactly("Call ", "1", "2", "3", " ", "٣");
        assertThat(words("{\"type\": \"Digits\", \"individual_digits\": false}", "Call 123 please"))
                .containsExactly("Call ", "123", " please");
    }

    @Test
    void sequenceAndNull() {
        String json = "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"WhitespaceSplit\"},"
                + " {\"type\": \"Digits\", \"individual_digits\": true}]}";
        assertThat(words(json, "ab12 c3")).containsExactly("ab", "1", "2", "c", "3");
        assertThat(words("null", "as is")).containsExactly("as is");
    }
}
