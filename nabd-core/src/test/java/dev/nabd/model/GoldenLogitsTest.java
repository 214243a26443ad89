package dev.nabd.model;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.sampling.Sampler;
import dev.nabd.tensor.GgmlType;
import dev.nabd.testing.GoldenCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our logits against llama.cpp's on the same files, at every prompt position and every greedy decode step,
 * through the whole-prompt path (one batch) and the token-by-token KV-cache path.
 *
 * <p>nabd multiplies dequantised weights with float activations, so for quantised files the exact
 * reference is llama.cpp on the same weights dequantised to F32 ({@code deq.logits.f32},
 * {@code deq_greedy_ids}); for F32 files it is {@code logits.f32} and {@code gen_logits.f32}.
 */
class GoldenLogitsTest {
    private static final float TOLERANCE = 1e-3f;

    static List<GoldenCase> cases() {
        return GoldenCase.all("llama", "qwen2", "qwen3", "stories260K");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void promptAsOneBatchMatchesLlamaCpp(GoldenCase g) {
        try (LanguageModel m = load(g, 2)) {
            Transformer t = m.transformer();
            int n = g.promptIds().length;
            InferenceState s = t.newState(m.contextLength(), n, n);
            t.forward(s, g.promptIds(), 0, n, 0, n);
            float[] expected = g.quantized() ? g.deqLogits() : g.logits();
            for (int row = 0; row < n; row++) {
                assertRowClose(g, "prompt row " + row, s.logits(), row * g.vocab(), expected, row * g.vocab());
            }
            decodeGreedily(g, t, s, n, lastRow(s.logits(), n - 1, g.vocab()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tokenByTokenMatchesLlamaCpp(GoldenCase g) {
        try (LanguageModel m = load(g, 1)) {
            Transformer t = m.transformer();
            int n = g.promptIds().length;
            InferenceState s = t.newState(m.contextLength(), 1, 1);
            float[] expected = g.quantized() ? g.deqLogits() : g.logits();
            for (int pos = 0; pos < n; pos++) {
                t.forward(s, g.promptIds(), pos, 1, pos, 1);
                assertRowClose(g, "prompt position " + pos, s.logits(), 0, expected, pos * g.vocab());
            }
            decodeGreedily(g, t, s, n, lastRow(s.logits(), 0, g.vocab()));
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> chunkedCases() {
        List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (GoldenCase g : cases()) {
            for (int chunk : new int[] {2, 3, 4, 5, 8, 13, 16}) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(g, chunk, 1 + chunk % 2));
            }
        }
        return out;
    }

    /** The prompt in batches of 2 to 16 tokens (the tiled product's edge cases), at 1 and 2 threads. */
    @ParameterizedTest(name = "{0} batches of {1}, {2} threads")
    @MethodSource("chunkedCases")
    void promptInBatchesOfAnySizeMatchesLlamaCpp(GoldenCase g, int chunk, int threads) {
        try (LanguageModel m = load(g, threads)) {
            Transformer t = m.transformer();
            int n = g.promptIds().length;
            InferenceState s = t.newState(m.contextLength(), chunk, chunk);
            float[] expected = g.quantized() ? g.deqLogits() : g.logits();
            for (int off = 0; off < n; off += chunk) {
                int len = Math.min(chunk, n - off);
                t.forward(s, g.promptIds(), off, len, off, len);
                for (int r = 0; r < len; r++) {
                    assertRowClose(g, "prompt row " + (off + r), s.logits(), r * g.vocab(), expected, (off + r) * g.vocab());
                }
            }
        }
    }

    /**
     * The references were computed with an F32 KV cache; F16 and Q8_0 caches round keys and values, so
     * their logits move a little: by at most 0.2% (F16) and 2% (Q8_0) of the largest logit here, less
     * than llama.cpp's own activation quantisation moves them (2-5%, see the golden README).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void smallerKvCachesStayCloseToTheReference(GoldenCase g) {
        for (GgmlType kv : new GgmlType[] {GgmlType.F16, GgmlType.Q8_0}) {
            try (LanguageModel m = load(g, 2)) {
                Transformer t = m.transformer();
                int n = g.promptIds().length;
                InferenceState s = t.newState(m.contextLength(), n, n, kv);
                t.forward(s, g.promptIds(), 0, n, 0, n);
                float[] expected = g.quantized() ? g.deqLogits() : g.logits();
                float worst = 0;
                float largest = 0;
                for (int i = 0; i < n * g.vocab(); i++) {
                    worst = Math.max(worst, Math.abs(s.logits()[i] - expected[i]));
                    largest = Math.max(largest, Math.abs(expected[i]));
                }
                float tolerance = (kv == GgmlType.F16 ? 2e-3f : 2e-2f) * largest;
                assertThat(worst).as("%s with a %s KV cache", g, kv).isLessThan(tolerance);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tokenizerGivesTheGoldenPromptIds(GoldenCase g) {
        try (LanguageModel m = load(g, 1)) {
            assertThat(m.tokenizer().encode(g.promptText(), true, true)).containsExactly(g.promptIds());
        }
    }

    /** Greedy decode from the logits after the prompt; checks every chosen id and, for F32, every row. */
    private static void decodeGreedily(GoldenCase g, Transformer t, InferenceState s, int n, float[] first) {
        int[] expectedIds = g.quantized() ? g.deqGreedyIds() : g.greedyIds();
        float[] logits = first;
        int[] one = new int[1];
        for (int step = 0; step < expectedIds.length; step++) {
            if (!g.quantized()) {
                assertRowClose(g, "decode step " + step, logits, 0, g.genLogits(), step * g.vocab());
            }
            int next = Sampler.argmax(logits, 0, g.vocab());
            assertThat(next).as("%s greedy token %d", g, step).isEqualTo(expectedIds[step]);
            one[0] = next;
            t.forward(s, one, 0, 1, n + step, 1);
            logits = lastRow(s.logits(), 0, g.vocab());
        }
    }

    private static float[] lastRow(float[] logits, int row, int vocab) {
        return java.util.Arrays.copyOfRange(logits, row * vocab, (row + 1) * vocab);
    }

    private static void assertRowClose(GoldenCase g, String where, float[] actual, int aOff, float[] expected, int eOff) {
        float worst = 0;
        int worstAt = -1;
        for (int i = 0; i < g.vocab(); i++) {
            float d = Math.abs(actual[aOff + i] - expected[eOff + i]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        assertThat(worst).as("%s %s: max |logit diff| at token %d", g, where, worstAt).isLessThanOrEqualTo(TOLERANCE);
    }

    private static LanguageModel load(GoldenCase g, int threads) {
        return LanguageModel.load(g.model(), LoadOptions.DEFAULTS.withThreads(threads).withQuantizedActivations(false));
    }
}
