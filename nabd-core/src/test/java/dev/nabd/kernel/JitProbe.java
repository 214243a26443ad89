package dev.nabd.kernel;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.model.InferenceState;
import dev.nabd.model.Transformer;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fixed set of kernel results, and the logits of a small model, computed the same way in every JVM
 * that runs it: {@link JitInvarianceTest} runs it interpreted, C2-compiled and in its own warm JVM and
 * compares the bits. Run as a program: {@code JitProbe ROUNDS OUTPUT [MODEL]} computes everything
 * ROUNDS times (so the JIT compiles it) and writes the last round's results, one labelled line each.
 */
public final class JitProbe {
    private JitProbe() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = Integer.parseInt(args[0]);
        Path model = args.length > 2 ? Path.of(args[2]) : null;
        Files.write(Path.of(args[1]), format(compute(model, rounds)));
    }

    static List<String> format(Map<String, float[]> results) {
        List<String> lines = new ArrayList<>();
        results.forEach((label, values) -> {
            StringBuilder line = new StringBuilder(label);
            for (float v : values) {
                line.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
            }
            lines.add(line.toString());
        });
        return lines;
    }

    /**
     * The results, labelled, of the last of {@code rounds} runs of the kernels and of {@code rounds / 20 + 1}
     * forward passes; {@code model} may be null to skip the forward pass.
     */
    static Map<String, float[]> compute(Path model, int rounds) {
        Map<String, float[]> out = null;
        for (int i = 0; i < rounds; i++) {
            out = kernels();
        }
        if (model != null) {
            try (LanguageModel m = LanguageModel.load(model, LoadOptions.DEFAULTS.withThreads(1).withContextLength(16))) {
                Transformer t = m.transformer();
                int[] prompt = {1, 72, 101, 108, 108};
                InferenceState s = t.newState(16, prompt.length, prompt.length);
                for (int i = 0; i < rounds / 20 + 1; i++) {
                    t.forward(s, prompt, 0, prompt.length, 0, prompt.length);
                }
                out.put("logits", Arrays.copyOf(s.logits(), prompt.length * m.config().vocabSize()));
            }
        }
        return out;
    }

    private static Map<String, float[]> kernels() {
        Map<String, float[]> out = new LinkedHashMap<>();
        FloatOps ops = FloatOpsProvider.get();
        SplittableRandom r = new SplittableRandom(17);

        int n = 100;   // six vectors of 16 lanes and a tail
        float[] a = gaussian(r, n, 1);
        float[] b = gaussian(r, 4 * n, 1);
        out.put("dot", new float[] {ops.dot(a, 0, b, 0, n), ops.sumOfSquares(a, 0, n)});
        float[] tile = new float[16];
        ops.dot4x4(b, 0, n, a, 0, 0, n - 3, tile);
        out.put("dot4x4", tile.clone());
        float[] gate = gaussian(r, n, 5);
        ops.siluMul(gate, a, 0, n);
        out.put("siluMul", gate);
        float[] scores = gaussian(r, n, 8);
        float sum = ops.expSum(scores, 0, n, 2f);
        out.put("expSum", concat(scores, new float[] {sum}));
        float[] y = a.clone();
        ops.axpy(0.7f, b, 0, y, 0, n);
        out.put("axpy", y);

        try (ThreadTeam team = new ThreadTeam(1)) {
            for (GgmlType type : GgmlType.values()) {
                if (!type.supported()) {
                    continue;
                }
                int cols = type.blockSize() == 1 ? 120 : type.blockSize() == 32 ? 96 : 256;
                int rows = 6;
                Tensor w = random(type, cols, rows, r);
                int batch = 3;
                float[] x = gaussian(r, batch * cols, 1);
                float[] fused = new float[rows];
                RowOps k = RowOpsProvider.of(type);
                for (int row = 0; row < rows; row++) {
                    fused[row] = k.dot(w.data(), row * w.rowBytes(), x, 0, cols);
                }
                out.put(type + " dot", fused);
                float[] tiled = new float[batch * rows];
                new MatMul(team, ops, cols).apply(w, x, cols, tiled, rows, batch);
                out.put(type + " matmul", tiled);
            }
        }

        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static Tensor random(GgmlType type, int cols, int rows, SplittableRandom r) {
        float[] v = gaussian(r, cols * rows, 0.1);
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(v.length)]);
        BlockCodecs.of(type).quantize(v, 0, seg, 0, v.length);
        return new Tensor("w", type, new long[] {cols, rows}, seg);
    }

    private static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }
}
