package dev.nabd.model;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logits of a token are the same bits whether the prompt is fed whole, in chunks or token by token,
 * on one thread or two: a row's result does not depend on what else is in its batch, and keys and values
 * computed in a decode step are the ones a prompt batch would have computed. (A server batching several
 * requests, or reusing a cached prefix, relies on exactly this.)
 */
class ForwardInvarianceTest {
    // 40 tokens: attention's key blocks are 32 positions and its runs of rows 16 (InferenceState), so the
    // chunkings below cross both boundaries at different rows.
    private static final int[] PROMPT = {1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33,
            32, 84, 104, 101, 32, 99, 97, 116, 32, 115, 97, 116, 32, 111, 110, 32, 116, 104, 101, 32, 109, 97, 116, 46, 32, 33};
    private static final int[][] CHUNKINGS = {{40}, {17, 23}, {3, 4, 1, 6, 26}, ones(40)};

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    @TempDir
    Path dir;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Architecture a : Architecture.KNOWN) {
            for (GgmlType t : new GgmlType[] {GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K}) {
                out.add(Arguments.of(a.name(), t, GgmlType.F16));
            }
        }
        out.add(Arguments.of("qwen3", GgmlType.Q4_K, GgmlType.F32));
        out.add(Arguments.of("qwen3", GgmlType.Q4_K, GgmlType.Q8_0));
        out.add(Arguments.of("llama", GgmlType.Q5_1, GgmlType.Q8_0));
        return out;
    }

    @ParameterizedTest(name = "{0} {1} kv {2}")
    @MethodSource("cases")
    void logitsDoNotDependOnHowThePromptIsBatched(String arch, GgmlType type, GgmlType kvType) throws IOException {
        Path file = dir.resolve("m.gguf");
        SyntheticModel.small(Architecture.byName(arch), type, 23).write(file);
        float[] reference = null;
        for (int threads = 1; threads <= 2; threads++) {
            LoadOptions options = LoadOptions.DEFAULTS.withThreads(threads).withKvType(kvType).withContextLength(64);
            try (LanguageModel m = LanguageModel.load(file, options)) {
                Transformer t = m.transformer();
                int vocab = m.config().vocabSize();
                for (int[] chunks : CHUNKINGS) {
                    float[] logits = new float[PROMPT.length * vocab];
                    InferenceState s = t.newState(64, PROMPT.length, PROMPT.length, kvType);
                    int pos = 0;
                    for (int n : chunks) {
                        t.forward(s, PROMPT, pos, n, pos, n);
                        System.arraycopy(s.logits(), 0, logits, pos * vocab, n * vocab);
                        pos += n;
                    }
                    if (reference == null) {
                        reference = logits;
                        assertThat(reference).doesNotContain(Float.NaN);
                        continue;
                    }
                    for (int p = 0; p < PROMPT.length; p++) {
                        assertThat(Arrays.copyOfRange(logits, p * vocab, (p + 1) * vocab))
                                .as("logits of token %d, chunks %s, %d threads", p, Arrays.toString(chunks), threads)
                                .isEqualTo(Arrays.copyOfRange(reference, p * vocab, (p + 1) * vocab));
                    }
                }
            }
        }
    }

    /**
     * Rows of two sequences in one batch (continuous batching): each row's logits are the bits its sequence
     * gives alone. Sequence B's rows come before and after twenty rows of A, so attention splits the batch
     * where the cache changes and where a run of one cache reaches 16 rows.
     */
    @Test
    void rowsOfTwoSequencesInOneBatchAreThoseOfEachAlone() throws IOException {
        Path file = dir.resolve("two.gguf");
        SyntheticModel.small(Architecture.byName("qwen3"), GgmlType.Q4_K, 29).write(file);
        int[] a = Arrays.copyOf(PROMPT, 20);
        int[] b = Arrays.copyOfRange(PROMPT, 20, 25);
        for (int threads = 1; threads <= 2; threads++) {
            try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(threads).withContextLength(64))) {
                Transformer t = m.transformer();
                int vocab = m.config().vocabSize();
                float[] aloneA = alone(t, a, vocab);
                float[] aloneB = alone(t, b, vocab);
                KvCache cacheA = new KvCache(m.config(), 64, GgmlType.F16);
                KvCache cacheB = new KvCache(m.config(), 64, GgmlType.F16);
                int n = a.length + b.length;
                int[] tokens = new int[n];
                KvCache[] caches = new KvCache[n];
                int[] positions = new int[n];
                int row = 0;
                for (int p = 0; p < 3; p++, row++) {
                    tokens[row] = b[p];
                    caches[row] = cacheB;
                    positions[row] = p;
                }
                for (int p = 0; p < a.length; p++, row++) {
                    tokens[row] = a[p];
                    caches[row] = cacheA;
                    positions[row] = p;
                }
                for (int p = 3; p < b.length; p++, row++) {
                    tokens[row] = b[p];
                    caches[row] = cacheB;
                    positions[row] = p;
                }
                int[] logitRows = new int[n];
                for (int r = 0; r < n; r++) {
                    logitRows[r] = r;
                }
                InferenceState s = t.newBatchState(64, n, n);
                t.forwardRows(s, tokens, caches, positions, n, logitRows, n);
                for (int r = 0; r < n; r++) {
                    float[] expected = caches[r] == cacheA
                            ? Arrays.copyOfRange(aloneA, positions[r] * vocab, (positions[r] + 1) * vocab)
                            : Arrays.copyOfRange(aloneB, positions[r] * vocab, (positions[r] + 1) * vocab);
                    assertThat(Arrays.copyOfRange(s.logits(), r * vocab, (r + 1) * vocab))
                            .as("batch row %d (%s position %d), %d threads", r, caches[r] == cacheA ? "A" : "B", positions[r], threads)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** Every position's logits of {@code prompt} fed whole to a fresh sequence. */
    private static float[] alone(Transformer t, int[] prompt, int vocab) {
        InferenceState s = t.newState(64, prompt.length, prompt.length, GgmlType.F16);
        t.forward(s, prompt, 0, prompt.length, 0, prompt.length);
        return Arrays.copyOf(s.logits(), prompt.length * vocab);
    }
}
