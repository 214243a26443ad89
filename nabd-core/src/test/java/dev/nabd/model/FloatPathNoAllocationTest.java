package dev.nabd.model;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/**
 * {@link NoAllocationTest} for the float path (exact math on float activations, no packed copies): the
 * row kernels of PanamaRows, Q4_0, Q4_1, Q5_0 and Q5_1 (Legacy), Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_0.
 * A class of its own, so that surefire runs it in a JVM of its own (reuseForks false): after the packed
 * cases in the same JVM, the Legacy kernels were compiled with their vectors boxed (1.36-1.82 MB a step)
 * in three of five clean-clone runs of the suite on 2026-12-05, after the batch tiles' scaling moved to
 * methods of their own; a process runs one model's kernels, not both paths' one after the other.
 */
class FloatPathNoAllocationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} weights, {1} KV cache, quantised activations {2}")
    @CsvSource({"Q4_0, F16, false", "Q4_1, F16, false", "Q5_0, F16, false", "Q5_1, F16, false", "Q2_K, F16, false",
            "Q3_K, F16, false", "Q4_K, F16, false", "Q5_K, F16, false", "Q6_K, F16, false", "Q8_0, F16, false"})
    void decodingDoesNotAllocate(String typeName, String kvTypeName, boolean quantizedActivations) throws Exception {
        NoAllocationTest.assertDecodingDoesNotAllocate(dir, typeName, kvTypeName, quantizedActivations);
    }
}
