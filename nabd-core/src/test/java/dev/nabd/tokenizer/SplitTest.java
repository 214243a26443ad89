package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Split pre-tokenizer: every behaviour, inverted or not, with string and regex patterns. */
class SplitTest {

    private static List<String> split(String pattern, String behavior, boolean invert, String text) {
        return StageJson.preTokenizer("{\"type\": \"Split\", \"pattern\": " + pattern + ", \"behavior\": \"" + behavior
                + "\", \"invert\": " + invert + "}").split(text);
    }

    /** Hugging Face's documented example: splitting "the-final--countdown" on "-". */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Removed|the,final,countdown",
            "Isolated|the,-,final,-,-,countdown",
            "MergedWithPrevious|the-,final-,-,countdown",
            "MergedWithNext|the,-final,-,-countdown",
            "Contiguous|the,-,final,--,countdown"})
    void behaviours(String behavior, String words) {
        assertThat(split("{\"String\": \"-\"}", behavior, false, "the-final--countdown"))
                .containsExactly(words.split(","));
        assertThat(split("{\"Regex\": \"-\"}", behavior, false, "the-final--countdown"))
                .containsExactly(words.split(","));
    }

    /** Inverted, the pattern marks the words and the rest is the delimiter. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Removed|ab,cd",
            "Isolated|ab,+,cd,++",
            "MergedWithPrevious|ab+,cd++",
            "MergedWithNext|ab,+cd,++",
            "Contiguous|ab,+,cd,++"})
    void inverted(String behavior, String words) {
        assertThat(split("{\"Regex\": \"[a-z]+\"}", behavior, true, "ab+cd++")).containsExactly(words.split(","));
    }

    @Test
    void delimitersAtTheEnds() {
        assertThat(split("{\"String\": \" \"}", "MergedWithPrevious", false, " a b ")).containsExactly(" ", "a ", "b ");
        assertThat(split("{\"String\": \" \"}", "MergedWithNext", false, " a b ")).containsExactly(" a", " b", " ");
        assertThat(split("{\"String\": \" \"}", "Removed", false, "  ")).isEmpty();
        assertThat(split("{\"String\": \" \"}", "Isolated", false, "")).isEmpty();
    }

    /** Empty regex matches cut the text but never make empty words. */
    @Test
    void emptyMatchesMakeNoWords() {
        assertThat(split("{\"Regex\": \"x*\"}", "Isolated", false, "abxxc")).containsExactly("a", "b", "xx", "c");
    }

    @Test
    void onlyTheWordAtOffsetZeroIsAtTheStart() {
        PreTokenizer p = StageJson.preTokenizer("{\"type\": \"Split\", \"pattern\": {\"String\": \" \"},"
                + " \"behavior\": \"Removed\", \"invert\": false}");
        List<String> seen = new ArrayList<>();
        p.split("a b", true, (w, atStart) -> seen.add(w + ":" + atStart));
        p.split("c d", false, (w, atStart) -> seen.add(w + ":" + atStart));
        p.split(" e", true, (w, atStart) -> seen.add(w + ":" + atStart));
        assertThat(seen).containsExactly("a:true", "b:false", "c:false", "d:false", "e:false");
    }
}
