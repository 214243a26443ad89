package dev.nabd.model;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufTensorInfo;
import dev.nabd.gguf.GgufWriter;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random-weight models of every architecture and weight type: written, read back, and run. */
class SyntheticModelTest {
    private static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K,
            GgmlType.Q6_K};

    @TempDir
    Path dir;

    static List<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (Architecture a : Architecture.KNOWN) {
            for (GgmlType t : TYPES) {
                out.add(Arguments.of(a.name(), t));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void readsBackIdenticalAndRunsTheSameThroughBothPaths(String arch, GgmlType type) throws IOException {
        SyntheticModel spec = SyntheticModel.small(Architecture.byName(arch), type, 11);
        Path file = dir.resolve(arch + "-" + type + ".gguf");
        spec.write(file);

        // What the reader returns, written again, is the same file: every typed metadata value and every byte of every tensor.
        Path again = dir.resolve("again.gguf");
        try (GgufFile g = GgufFile.open(file)) {
            GgufWriter w = new GgufWriter().putAll(g.metadata());
            for (GgufTensorInfo t : g.tensors()) {
                if (t.name().endsWith("attn_q.weight")) {
                    assertThat(t.type()).isEqualTo(type);
                }
                w.addTensor(t.name(), t.type(), t.shape(), g.tensorData(t));
            }
            w.write(again);
        }
        assertThat(Files.mismatch(file, again)).isEqualTo(-1L);
        Path twice = dir.resolve("twice.gguf");
        spec.write(twice);
        assertThat(Files.mismatch(file, twice)).as("the same seed writes the same bytes").isEqualTo(-1L);

        int[] prompt = {1, 72, 101, 108, 108, 111, 33, 40};
        float[] batched;
        float[] stepwise;
        try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(2))) {
            ModelConfig c = m.config();
            assertThat(c.dim()).isEqualTo(256);
            assertThat(c.kvHeads()).isEqualTo(2);
            Transformer t = m.transformer();
            InferenceState s = t.newState(64, prompt.length, prompt.length);
            t.forward(s, prompt, 0, prompt.length, 0, prompt.length);
            batched = s.logits().clone();
        }
        try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(1))) {
            Transformer t = m.transformer();
            InferenceState s = t.newState(64, 1, 1);
            int vocab = m.config().vocabSize();
            stepwise = new float[prompt.length * vocab];
            for (int p = 0; p < prompt.length; p++) {
                t.forward(s, prompt, p, 1, p, 1);
                System.arraycopy(s.logits(), 0, stepwise, p * vocab, vocab);
            }
        }
        assertThat(batched).doesNotContain(Float.NaN);
        float maxAbs = 0;
        float maxDiff = 0;
        for (int i = 0; i < batched.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(batched[i]));
            maxDiff = Math.max(maxDiff, Math.abs(batched[i] - stepwise[i]));
        }
        assertThat(maxAbs).as("logits are not all zero").isGreaterThan(0.1f);
        assertThat(maxDiff).as("batched vs token-by-token, 2 threads vs 1").isLessThan(1e-4f * Math.max(1, maxAbs));
    }
}
