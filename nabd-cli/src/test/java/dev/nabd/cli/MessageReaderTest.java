package dev.nabd.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageReaderTest {

    private static MessageReader reader(String... lines) {
        ArrayDeque<String> q = new ArrayDeque<>(List.of(lines));
        return new MessageReader(prompt -> q.poll());
    }

    @Test
    void backslashContinuesAndFencesGroup() throws IOException {
        MessageReader r = reader("one \\", "two", "\"\"\"", "a", "", "b", "\"\"\"", "\"\"\"inline\"\"\"", "plain");
        assertThat(r.next()).isEqualTo("one \ntwo");
        assertThat(r.next()).isEqualTo("a\n\nb");
        assertThat(r.next()).isEqualTo("inline");
        assertThat(r.next()).isEqualTo("plain");
        assertThat(r.next()).isNull();
    }

    @Test
    void inputEndingInsideAFenceKeepsWhatCame() throws IOException {
        assertThat(reader("\"\"\"", "half").next()).isEqualTo("half");
        assertThat(reader("dangling \\").next()).isEqualTo("dangling \n");
    }
}
