package dev.nabd.model;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load-time JIT warm-up runs the forward pass, stops when told, and leaves nothing behind: a prompt's
 * logits are the same bits after it as before.
 */
class WarmUpTest {
    private static final int[] PROMPT = {1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33};

    @TempDir
    Path dir;

    @Test
    void leavesTheLogitsOfAPromptAsTheyWere() throws IOException {
        Path file = dir.resolve("m.gguf");
        SyntheticModel.small(Architecture.byName("qwen3"), GgmlType.Q4_K, 5).write(file);
        try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(2).withContextLength(64))) {
            float[] before = lastLogits(m);
            int rounds = WarmUp.run(m.transformer(), m.kvType(), 3_000_000_000L, () -> false);
            assertThat(rounds).isPositive();
            assertThat(lastLogits(m)).isEqualTo(before);
        }
    }

    @Test
    void stopsWhenTheCallerSaysSoOrTheBudgetIsSpent() throws IOException {
        Path file = dir.resolve("m.gguf");
        SyntheticModel.small(Architecture.byName("llama"), GgmlType.Q8_0, 5).write(file);
        try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withContextLength(64))) {
            assertThat(WarmUp.run(m.transformer(), m.kvType(), 10_000_000_000L, () -> true)).isZero();
            assertThat(WarmUp.run(m.transformer(), m.kvType(), 0, () -> false)).isZero();
            // Asked before each forward pass: yes to the batch and two single tokens, then no (the round
            // ends), and no again before a second round.
            AtomicInteger asked = new AtomicInteger();
            int rounds = WarmUp.run(m.transformer(), m.kvType(), 10_000_000_000L, () -> asked.incrementAndGet() > 3);
            assertThat(rounds).isEqualTo(1);
            assertThat(asked.get()).isEqualTo(5);
        }
    }

    private static float[] lastLogits(LanguageModel m) {
        Transformer t = m.transformer();
        InferenceState s = t.newState(64, PROMPT.length, 1, m.kvType());
        t.forward(s, PROMPT, 0, PROMPT.length, 0, 1);
        return s.logits().clone();
    }
}
