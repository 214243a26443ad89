package dev.nabd.engine;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session's positions: rewinding keeps the prefix it returns to, and nothing after it. */
class SessionTest {
    private static final Path STORIES = SharedData.projectRoot().resolve("models/stories260K.gguf");
    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(STORIES, new LoadOptions(128, 2, 16, GgmlType.F16));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aRewoundSessionContinuesAsIfTheLaterTokensHadNeverBeenAppended() {
        int[] prefix = model.tokenizer().encode("Once upon a time, there was", true, false);
        int[] ending = model.tokenizer().encode(" a little dog", false, false);
        int[] other = model.tokenizer().encode(" a big red ball that rolled away", false, false);
        Session fresh = model.newSession();
        fresh.append(prefix);
        float[] expected = fresh.append(ending).clone();

        Session s = model.newSession();
        s.append(prefix);
        s.append(other);   // longer than the ending: its keys must not be read after the rewind
        s.rewind(prefix.length);
        assertThat(s.position()).isEqualTo(prefix.length);
        assertThat(s.append(ending)).isEqualTo(expected);
        assertThat(s.position()).isEqualTo(prefix.length + ending.length);
    }

    @Test
    void rewindingPastTheFilledPositionsIsRefused() {
        Session s = model.newSession();
        s.append(model.tokenizer().encode("Once upon", true, false));
        int filled = s.position();
        assertThatThrownBy(() -> s.rewind(filled + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot rewind to position " + (filled + 1) + " of a sequence of " + filled);
        assertThatThrownBy(() -> s.rewind(-1)).isInstanceOf(IllegalArgumentException.class);
        s.reset();
        assertThat(s.position()).isZero();
    }
}
