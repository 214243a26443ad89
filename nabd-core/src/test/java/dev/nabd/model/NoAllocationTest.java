package dev.nabd.model;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.engine.Session;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decode step allocates nothing on the Java heap: not on the calling thread, not on the team's
 * workers. Measured with the JVM's per-thread allocation counters over many steps after a warm-up, so
 * a single stray allocation per token would show as hundreds of bytes.
 */
class NoAllocationTest {
    @TempDir
    Path dir;

    /**
     * Weights of each type with a packed kernel (Q2_K, Q3_K, Q4_1, Q5_1 and Q5_K among them) and F16/BF16;
     * the KV cache in each of its types. With float activations (exact math, no packed copies), the row
     * kernels of PanamaRows: Q4_0, Q4_1, Q5_0 and Q5_1 (Legacy), Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_0.
     */
    @ParameterizedTest(name = "{0} weights, {1} KV cache, quantised activations {2}")
    @CsvSource({"Q4_1, F16, true", "Q5_1, F16, true", "Q5_K, F16, true", "Q2_K, F16, true", "Q3_K, F16, true",
            "Q8_0, F16, true", "Q4_0, F16, true", "Q4_K, F16, true", "Q5_0, F16, true", "Q6_K, F16, true",
            "F16, F16, true", "BF16, F16, true", "Q4_K, Q8_0, true", "Q4_K, F32, true",
            "Q4_0, F16, false", "Q4_1, F16, false", "Q5_0, F16, false", "Q5_1, F16, false", "Q2_K, F16, false",
            "Q3_K, F16, false", "Q4_K, F16, false", "Q5_K, F16, false", "Q6_K, F16, false", "Q8_0, F16, false"})
    void decodingDoesNotAllocate(String typeName, String kvTypeName, boolean quantizedActivations) throws Exception {
        GgmlType type = GgmlType.valueOf(typeName);
        Path file = dir.resolve("m.gguf");
        SyntheticModel.small(Architecture.QWEN3, type, 3).write(file);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (LanguageModel m = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(2).withContextLength(256).withKvType(GgmlType.valueOf(kvTypeName))
                .withQuantizedActivations(quantizedActivations))) {
            Session s = m.newSession();
            int token = 7;
            // Warm up past C2's compilation of the hot paths (allocations of the interpreter and C1 do not count):
            // the product's own warm-up, which runs until the JIT has been quiet for a second, then decoding.
            m.warmUp(20_000_000_000L);
            for (int round = 0; round < 6; round++) {
                s.reset();
                for (int i = 0; i < 200; i++) {
                    s.append(token);
                }
            }
            // The least over windows of 200 steps: a steady allocation shows in every window, while a late
            // compilation or a deoptimisation (a one-off, after which code runs interpreted until C2 has
            // compiled it again, behind whatever else waits in its queue) shows in some only. At least
            // three windows, then more until one is clean, for up to thirty seconds: on two cores the team's
            // two spinning threads leave C2 little time, and a kernel still in C1 allocates every vector
            // (6 MB a step, seen once in a CI run with a ten-second limit, Q3_K's row kernel).
            long least = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int window = 0; window < 3 || (least >= 16 * 200 && System.nanoTime() < deadline); window++) {
                s.reset();
                long before = threads.getTotalThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    s.append(token);
                }
                least = Math.min(least, threads.getTotalThreadAllocatedBytes() - before);
            }
            assertThat(least / 200.0).as("bytes allocated per decode step, %s weights, %s KV cache, quantised activations %s",
                    typeName, kvTypeName, quantizedActivations).isLessThan(16.0);
        }
    }
}
