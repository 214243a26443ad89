package dev.nabd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ThinkingFilterTest {

    /** Feeds {@code text} in pieces of {@code size} characters; returns "answer|thinking". */
    private static String split(String text, int size) {
        StringBuilder answer = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ThinkingFilter.Sink sink = new ThinkingFilter.Sink() {
            @Override
            public void answer(String s) {
                answer.append(s);
            }

            @Override
            public void thinking(String s) {
                thinking.append(s);
            }
        };
        ThinkingFilter f = new ThinkingFilter();
        for (int i = 0; i < text.length(); i += size) {
            f.accept(text.substring(i, Math.min(text.length(), i + size)), sink);
        }
        f.flush(sink);
        return answer + "|" + thinking;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 100})
    void tagsSplitAcrossPiecesAreFound(int size) {
        assertThat(split("<think>let me see</think>The answer is 4.", size)).isEqualTo("The answer is 4.|let me see");
    }

    @Test
    void textThatOnlyLooksLikeATagIsKept() {
        assertThat(split("a < b and <thin ice>", 2)).isEqualTo("a < b and <thin ice>|");
        assertThat(split("ends with <thi", 3)).isEqualTo("ends with <thi|");
    }

    @Test
    void unfinishedReasoningStaysReasoning() {
        assertThat(split("<think>still thinking", 4)).isEqualTo("|still thinking");
    }
}
