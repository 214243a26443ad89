package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value computed for one (token, output) is the same bits however the token was batched: the fused
 * dot product of one token equals the float dot product over the decoded row, the tile equals the dot
 * product, and a matrix product gives a token's row the same bits at every batch size, every place in
 * the batch and any number of threads. Exact equality, never a tolerance: this is what lets a server
 * batch requests together, or reuse a prefix's cached keys and values, without changing any output.
 */
class BatchInvarianceTest {
    private static final FloatOps OPS = FloatOpsProvider.get();

    static List<GgmlType> types() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported).toList();
    }

    /** Row lengths for a type: whole blocks, and for the float types every kind of vector tail. */
    static int[] lengths(GgmlType t) {
        return switch (t.blockSize()) {
            case 1 -> new int[] {1, 5, 15, 16, 17, 31, 32, 33, 48, 63, 100, 120, 257, 896};
            case 32 -> new int[] {32, 64, 96, 160, 896};
            default -> new int[] {256, 512, 768};
        };
    }

    static List<Arguments> typesAndLengths() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : types()) {
            for (int n : lengths(t)) {
                out.add(Arguments.of(t, n));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("typesAndLengths")
    void fusedDotEqualsDotOfTheDecodedRow(GgmlType type, int n) {
        SplittableRandom r = new SplittableRandom(31L * type.ordinal() + n);
        RowOps k = RowOpsProvider.of(type);
        for (int trial = 0; trial < 4; trial++) {
            double spread = trial % 2 == 0 ? 0.05 : 4.0;
            float[] values = gaussian(r, n, spread);
            // The row at an odd byte offset and the activations at an odd index, as in real use.
            long off = 1 + type.bytesFor(n);
            MemorySegment seg = MemorySegment.ofArray(new byte[(int) (off + type.bytesFor(n))]);
            BlockCodecs.of(type).quantize(values, 0, seg, off, n);
            float[] x = gaussian(r, n + 3, 1.0);
            float[] decoded = new float[n];
            k.dequantize(seg, off, decoded, 0, n);
            float fused = k.dot(seg, off, x, 3, n);
            float reference = OPS.dot(decoded, 0, x, 3, n);
            assertThat(bits(fused)).as("%s n=%d trial %d: fused %s, decoded %s", type, n, trial, fused, reference)
                    .isEqualTo(bits(reference));
        }
    }

    /** The tile against dot() for every vector tail. */
    @Test
    void tileEqualsDotForEveryLength() {
        SplittableRandom r = new SplittableRandom(5);
        float[] out = new float[16];
        for (int n = 0; n <= 100; n++) {
            int stride = n + 3;
            float[] a = gaussian(r, 1 + 4 * stride, 1.0);
            float[] b = gaussian(r, 2 + 4 * stride, 1.0);
            OPS.dot4x4(a, 1, stride, b, 2, stride, n, out);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    float expected = OPS.dot(a, 1 + i * stride, b, 2 + j * stride, n);
                    assertThat(bits(out[4 * i + j])).as("n=%d row %d token %d", n, i, j).isEqualTo(bits(expected));
                }
            }
            assertThat(bits(OPS.sumOfSquares(a, 1, n))).isEqualTo(bits(OPS.dot(a, 1, a, 1, n)));
        }
    }

    static List<Arguments> typesAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : types()) {
            out.add(Arguments.of(t, 1, false));
            out.add(Arguments.of(t, 2, false));
            out.add(Arguments.of(t, 2, true));
        }
        return out;
    }

    /**
     * Sixteen tokens, each multiplied alone (the fused path), then in batches of every size 1..16 with
     * the token at every position (the tiled path, rows split over threads and tiles): same bits. Two
     * matrices in one step, with row counts that are not multiples of the tile, like q/k/v. With
     * llama.cpp's activation forms too: each token's activations are rounded on their own.
     */
    @ParameterizedTest(name = "{0} threads={1} llama activations={2}")
    @MethodSource("typesAndThreads")
    void matMulRowDoesNotDependOnTheBatch(GgmlType type, int threads, boolean llamaActivations) {
        SplittableRandom r = new SplittableRandom(type.ordinal());
        int cols = type.blockSize() == 1 ? 120 : type.blockSize() == 32 ? 96 : 512;
        int rows1 = 23;
        int rows2 = 9;
        Tensor w1 = random(type, cols, rows1, r);
        Tensor w2 = random(type, cols, rows2, r);
        int tokens = 16;
        int xStride = cols + 5;
        float[] pool = gaussian(r, tokens * xStride, 1.0);
        if (!llamaActivations) {
            // Beyond F16's range: F16 rows take activations times 2^112 in a batch of one (RowOps.dot4Scale),
            // which overflows here; the batch of one must then take the unscaled path, as a batch does.
            pool[3 * xStride + 5] = 1e5f;
        }
        float[][] alone1 = new float[tokens][rows1];
        float[][] alone2 = new float[tokens][rows2];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, OPS, cols, llamaActivations);
            for (int t = 0; t < tokens; t++) {
                float[] x = Arrays.copyOfRange(pool, t * xStride, (t + 1) * xStride);
                mm.apply(w1, alone1[t], rows1, w2, alone2[t], rows2, x, xStride, 1);
            }
            // The fused path against the decoded row, for one token (the rest follows from the loop below).
            float[] row = new float[cols];
            RowOpsProvider.of(type).dequantize(w1.data(), 7 * w1.rowBytes(), row, 0, cols);
            float[] x3 = Arrays.copyOfRange(pool, 3 * xStride, 3 * xStride + cols);
            if (llamaActivations) {
                ActivationFormat.forWeights(type).round(x3, 0, x3, 0, cols);
            }
            assertThat(bits(alone1[3][7])).isEqualTo(bits(OPS.dot(row, 0, x3, 0, cols)));

            float[] x = new float[tokens * xStride];
            float[] y1 = new float[tokens * rows1];
            float[] y2 = new float[tokens * (rows2 + 2)];
            for (int batch = 1; batch <= tokens; batch++) {
                for (int shift = 0; shift < tokens; shift++) {
                    for (int b = 0; b < batch; b++) {
                        int t = (b + shift) % tokens;
                        System.arraycopy(pool, t * xStride, x, b * xStride, xStride);
                    }
                    mm.apply(w1, y1, rows1, w2, y2, rows2 + 2, x, xStride, batch);
                    for (int b = 0; b < batch; b++) {
                        int t = (b + shift) % tokens;
                        assertThat(Arrays.copyOfRange(y1, b * rows1, (b + 1) * rows1))
                                .as("token %d at position %d of a batch of %d", t, b, batch).isEqualTo(alone1[t]);
                        assertThat(Arrays.copyOfRange(y2, b * (rows2 + 2), b * (rows2 + 2) + rows2))
                                .as("second matrix, token %d at position %d of a batch of %d", t, b, batch).isEqualTo(alone2[t]);
                    }
                }
            }
        }
    }

    /** Element-wise operations give an element the same bits in a vector lane and in the scalar tail. */
    @Test
    void elementWiseResultsDoNotDependOnPosition() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 8 * OPS.lanes() + 5;
        float[] gate = gaussian(r, n, 6.0);
        float[] up = gaussian(r, n, 1.0);
        float[] scores = gaussian(r, n, 10.0);
        float[] y = gaussian(r, n, 1.0);
        float[] vec = gate.clone();
        OPS.siluMul(vec, up, 0, n);
        float[] soft = scores.clone();
        float sum = OPS.expSum(soft, 0, n, 3f);
        float[] ax = y.clone();
        OPS.axpy(0.3f, gate, 0, ax, 0, n);
        float sequential = 0;
        for (int i = 0; i < n; i++) {
            float[] one = {gate[i]};
            OPS.siluMul(one, new float[] {up[i]}, 0, 1);
            assertThat(bits(vec[i])).as("silu element %d", i).isEqualTo(bits(one[0]));
            float[] e = {scores[i]};
            OPS.expSum(e, 0, 1, 3f);
            assertThat(bits(soft[i])).as("exp element %d", i).isEqualTo(bits(e[0]));
            float[] a = {y[i]};
            OPS.axpy(0.3f, new float[] {gate[i]}, 0, a, 0, 1);
            assertThat(bits(ax[i])).as("axpy element %d", i).isEqualTo(bits(a[0]));
            sequential += soft[i];
        }
        assertThat(sum).isCloseTo(sequential, org.assertj.core.data.Offset.offset(1e-5f * sequential));
    }

    /**
     * Attention's block kernels: scores() gives each query and key the chain of fused multiply-adds over
     * the dimensions, times the scale, whatever the number of queries in the call (around the four-query
     * tile) and the width (around two vectors); weightedSums() the bits of one axpy per row in order, for
     * each query whatever the number of queries, at lengths with vector tails.
     */
    @Test
    void attentionBlockKernelsAreTheirOneRowOperations() {
        SplittableRandom r = new SplittableRandom(17);
        for (FloatOps ops : new FloatOps[] {OPS, new ScalarFloatOps()}) {
            for (int n : new int[] {5, 64, 128, 2 * ops.lanes() + 3}) {
                for (int width : new int[] {32, 2 * ops.lanes() + 3, 5}) {
                    for (int queries : new int[] {1, 3, 4, 7}) {
                        float[] keys = gaussian(r, 2 + n * width, 1.0);
                        // Queries at irregular places (as a block's rows × heads are), the last two overlapping.
                        int[] qOff = new int[queries];
                        for (int i = 0; i < queries; i++) {
                            qOff[i] = 1 + i * (n + 2) + (i % 3) * 5 - (i == queries - 1 && i > 0 ? n / 2 + 2 : 0);
                        }
                        float[] q = gaussian(r, 20 + queries * (n + 7), 1.0);
                        float[] out = new float[3 + queries * width];
                        ops.scores(keys, 2, width, n, q, qOff, queries, 0.125f, out, 3);
                        for (int i = 0; i < queries; i++) {
                            for (int j = 0; j < width; j++) {
                                float chain = 0f;
                                for (int d = 0; d < n; d++) {
                                    chain = Math.fma(keys[2 + d * width + j], q[qOff[i] + d], chain);
                                }
                                assertThat(bits(out[3 + i * width + j]))
                                        .as("%s n=%d width=%d queries=%d: query %d key %d", ops.description(), n, width, queries, i, j)
                                        .isEqualTo(bits(chain * 0.125f));
                            }
                        }
                    }
                }
                for (int count : new int[] {1, 3, 4, 7, 32}) {
                    for (int queries : new int[] {1, 3, 4, 7}) {
                        int stride = n + 3;
                        float[] rows = gaussian(r, 2 + count * stride, 1.0);
                        int pStride = count + 1;
                        float[] p = gaussian(r, 2 + queries * pStride, 0.5);
                        int[] yOff = new int[queries];   // outputs apart, in reverse order, with gaps
                        for (int i = 0; i < queries; i++) {
                            yOff[i] = 4 + (queries - 1 - i) * (n + 3);
                        }
                        float[] y = gaussian(r, 4 + queries * (n + 3), 1.0);
                        float[] sequential = y.clone();
                        ops.weightedSums(p, 2, pStride, count, queries, rows, 2, stride, y, yOff, n);
                        for (int i = 0; i < queries; i++) {
                            for (int j = 0; j < count; j++) {
                                ops.axpy(p[2 + i * pStride + j], rows, 2 + j * stride, sequential, yOff[i], n);
                            }
                        }
                        for (int i = 0; i < y.length; i++) {
                            assertThat(bits(y[i])).as("%s n=%d count=%d queries=%d: value %d", ops.description(), n, count, queries, i)
                                    .isEqualTo(bits(sequential[i]));
                        }
                    }
                }
            }
        }
    }

    /** The block maximum is Math.max's, in any order: signed zeros, infinities and NaN included. */
    @Test
    void maxIsMathMax() {
        SplittableRandom r = new SplittableRandom(23);
        for (FloatOps ops : new FloatOps[] {OPS, new ScalarFloatOps()}) {
            for (int n : new int[] {0, 1, 5, 16, 31, 32, 33, 100}) {
                for (float special : new float[] {1f, -0f, 0f, Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY}) {
                    float[] x = gaussian(r, n + 3, 2.0);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = -Math.abs(x[i]);   // all negative: a zero, when planted, is the maximum
                    }
                    if (n > 0) {
                        x[1 + r.nextInt(n)] = special;
                    }
                    float expected = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        expected = Math.max(expected, x[1 + i]);
                    }
                    assertThat(bits(ops.max(x, 1, n))).as("%s n=%d with %s", ops.description(), n, special).isEqualTo(bits(expected));
                }
            }
        }
    }

    static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    static Tensor random(GgmlType type, int cols, int rows, SplittableRandom r) {
        float[] v = gaussian(r, cols * rows, 0.1);
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(v.length)]);
        BlockCodecs.of(type).quantize(v, 0, seg, 0, v.length);
        return new Tensor("w", type, new long[] {cols, rows}, seg);
    }

    static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }
}
