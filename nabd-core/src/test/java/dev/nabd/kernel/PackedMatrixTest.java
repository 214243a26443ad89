package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The integer Q4_0 kernel against a scalar reading of what it promises: for each output, block after
 * block, the exact integer sum Σ (q_w − 8)·q_x taken from the file's own bytes, then
 * {@code y = fma(sum, d_w·d_x, y)}. Bit for bit, at every batch size 1..16, on 1 and 2 threads, for strip
 * ranges that are not whole groups, so the decode kernel, the batch tile, the overlapping last group and
 * the token tail must all agree with it, and so with one another.
 */
class PackedMatrixTest {

    static List<Arguments> batchesAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (int batch = 1; batch <= 16; batch++) {
            out.add(Arguments.of(batch, 1 + batch % 2));
        }
        out.add(Arguments.of(7, 1));
        out.add(Arguments.of(16, 2));
        return out;
    }

    @ParameterizedTest(name = "batch={0} threads={1}")
    @MethodSource("batchesAndThreads")
    void matMulOfPackedMatricesIsGgmlsIntegerSum(int batch, int threads) {
        SplittableRandom r = new SplittableRandom(batch * 7L + threads);
        int cols = 352;   // 11 blocks: the batch kernel scales its sums by chunks of 8 blocks, then 3
        int w = stripRows(GgmlType.Q4_0);
        Tensor w1 = q4(cols, 9 * w, r);   // 9 strips: four groups of 2 and one over, or ragged per thread
        Tensor w2 = q4(cols, 2 * w, r);   // fewer strips than a group
        Tensor w3 = q4(cols, 5 * w, r);
        int xStride = cols + 3;
        float[] x = gaussian(r, batch * xStride);
        float[] y1 = new float[batch * w1.rows()];
        float[] y2 = new float[batch * (w2.rows() + 1)];
        float[] y3 = new float[batch * w3.rows()];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
            assertThat(mm.pack(w1) && mm.pack(w2) && mm.pack(w3)).isTrue();
            mm.apply(w1, y1, w1.rows(), w2, y2, w2.rows() + 1, w3, y3, w3.rows(), x, xStride, batch);
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get());
        q.quantize(x, xStride, cols, batch);
        for (int t = 0; t < batch; t++) {
            for (int row = 0; row < w1.rows(); row++) {
                assertThat(y1[t * w1.rows() + row]).as("w1 token %d row %d", t, row).isEqualTo(reference(w1, row, q, t));
            }
            for (int row = 0; row < w2.rows(); row++) {
                assertThat(y2[t * (w2.rows() + 1) + row]).as("w2 token %d row %d", t, row).isEqualTo(reference(w2, row, q, t));
            }
            for (int row = 0; row < w3.rows(); row++) {
                assertThat(y3[t * w3.rows() + row]).as("w3 token %d row %d", t, row).isEqualTo(reference(w3, row, q, t));
            }
        }
    }

    /** The types held to the product of their values, each at every batch size of {@link #batchesAndThreads}. */
    static List<Arguments> typesAgainstTheirValues() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType type : new GgmlType[] {GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q5_1, GgmlType.Q4_1, GgmlType.Q3_K, GgmlType.Q2_K}) {
            for (Arguments a : batchesAndThreads()) {
                out.add(Arguments.of(type, a.get()[0], a.get()[1]));
            }
        }
        return out;
    }

    /**
     * Q4_K, Q5_K, Q3_K and Q2_K on Q8_K activations, Q5_1 and Q4_1 on Q8_0 ones, as llama.cpp multiplies
     * them: close to the exact product of the dequantised weights with the activations' values d·q (the
     * kernels round once per block of 32, or of 16 for Q3_K and Q2_K, ggml once per super-block, and take
     * the offsets' part apart), and the same bits for a token alone, in any batch and on any number of threads.
     */
    @ParameterizedTest(name = "{0} batch={1} threads={2}")
    @MethodSource("typesAgainstTheirValues")
    void isTheProductOfItsValuesWithItsActivations(GgmlType type, int batch, int threads) {
        SplittableRandom r = new SplittableRandom(batch * 11L + threads);
        int cols = 512;
        int w = stripRows(type);
        Tensor m = quantized(type, cols, 9 * w, r);
        int xStride = cols + 1;
        assertProductOfValues(m, gaussian(r, batch * xStride), xStride, batch, threads);
    }

    /**
     * Q3_K and Q2_K at their extremes: every value of a row's block −4 or +3 (Q3_K: nibbles 0 and 7) or 0
     * and 3 (Q2_K), the largest scales and mins, every activation its block's largest (q_x = ±127). The
     * blocks' 16-bit sums reach −8128 and the unsigned sums they are taken from wrap around 16 bits; the
     * two rows of a lane differ in every combination across blocks. Through the decode kernel and a batch.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = GgmlType.class, names = {"Q3_K", "Q2_K"})
    void q3Extremes(GgmlType type) {
        int w = stripRows(type);
        int cols = 512;
        int rows = 2 * w;
        boolean two = type == GgmlType.Q2_K;
        int bytes = two ? 84 : 110;
        MemorySegment data = MemorySegment.ofArray(new byte[rows * cols / 256 * bytes]);
        for (int row = 0; row < rows; row++) {
            for (int sb = 0; sb < cols / 256; sb++) {
                long blk = (long) (row * cols / 256 + sb) * bytes;
                if (two) {
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, blk + 80, Float.floatToFloat16(0.5f));
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, blk + 82, Float.floatToFloat16(0.25f));
                    for (int g = 0; g < 16; g++) {
                        data.set(ValueLayout.JAVA_BYTE, blk + g, (byte) 0xFF);   // scale 15, min 15
                    }
                } else {
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, blk + 108, Float.floatToFloat16(0.5f));
                    for (int i = 96; i < 108; i++) {
                        data.set(ValueLayout.JAVA_BYTE, blk + i, (byte) 0xFF);   // every scale 63 − 32 = 31
                    }
                }
                for (int g = 0; g < 16; g++) {
                    if (((row % w) >> (g % 5) & 1) == (row / w & 1)) {
                        continue;   // this row's block stays at q = −4 (Q3_K) or 0 (Q2_K)
                    }
                    // q = +3: bit pair (g % 8) / 2 of its 16 quant bytes set, and for Q3_K its hmask bit.
                    long qs = blk + (two ? 16 : 32) + 32L * (g / 8) + 16L * (g % 2);
                    for (int l = 0; l < 16; l++) {
                        data.set(ValueLayout.JAVA_BYTE, qs + l, (byte) (data.get(ValueLayout.JAVA_BYTE, qs + l) | 3 << 2 * ((g % 8) / 2)));
                        if (!two) {
                            long hmask = blk + 16L * (g % 2) + l;
                            data.set(ValueLayout.JAVA_BYTE, hmask, (byte) (data.get(ValueLayout.JAVA_BYTE, hmask) | 1 << 4 * (g / 8) + (g % 8) / 2));
                        }
                    }
                }
            }
        }
        Tensor m = new Tensor("extreme", type, new long[] {cols, rows}, data);
        float[] x = new float[3 * cols];
        java.util.Arrays.fill(x, 0, cols, 3f);
        java.util.Arrays.fill(x, cols, 2 * cols, -3f);
        for (int c = 0; c < cols; c++) {
            x[2 * cols + c] = c % 2 == 0 ? 3f : -3f;
        }
        assertProductOfValues(m, x, cols, 3, 2);
    }

    /**
     * {@code m} packed and multiplied through MatMul by {@code batch} tokens on {@code threads} threads: within
     * 1e-6 of its magnitude of the exact product of the codec's values with the activations' values d·q,
     * and the same bits as each token alone.
     */
    private static void assertProductOfValues(Tensor m, float[] x, int xStride, int batch, int threads) {
        int cols = m.cols();
        float[] y = new float[batch * m.rows()];
        float[][] alone = new float[batch][m.rows()];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
            assertThat(mm.pack(m)).isTrue();
            mm.apply(m, x, xStride, y, m.rows(), batch);
            for (int t = 0; t < batch; t++) {
                mm.apply(m, java.util.Arrays.copyOfRange(x, t * xStride, (t + 1) * xStride), xStride, alone[t], m.rows(), 1);
            }
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get(), ActivationFormat.forWeights(m.type()));
        q.quantize(x, xStride, cols, batch);
        float[] values = new float[cols * m.rows()];
        BlockCodecs.of(m.type()).dequantize(m.data(), 0, values, 0, values.length);
        for (int t = 0; t < batch; t++) {
            for (int row = 0; row < m.rows(); row++) {
                double exact = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    double term = (double) values[row * cols + c] * q.scale(t, c / 32) * q.quant(t, c);
                    exact += term;
                    magnitude += Math.abs(term);
                }
                float got = y[t * m.rows() + row];
                assertThat((double) got).as("token %d row %d", t, row).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-6 * magnitude + 1e-7));
                assertThat(got).as("token %d row %d alone and batched", t, row).isEqualTo(alone[t][row]);
            }
        }
    }

    /**
     * Q6_K on Q8_K activations, bit for bit as ggml's {@code vec_dot_q6_K_q8_K} states it and read from the
     * file's own bit planes: per super-block the integer Σ scale·Σ (q − 32)·q_x, then
     * {@code fma(sum, d_w·d_x, acc)}. At every batch size and on 1 and 2 threads, next to a Q4_K matrix in
     * the same step (both take the one Q8_K quantisation of the activations).
     */
    @ParameterizedTest(name = "batch={0} threads={1}")
    @MethodSource("batchesAndThreads")
    void q6_KIsGgmlsIntegerSum(int batch, int threads) {
        SplittableRandom r = new SplittableRandom(batch * 13L + threads);
        int cols = 512;
        int w = stripRows();
        assumeTrue(w >= 16, "Q6_K strips need vectors of 16 shorts or more");
        Tensor m = quantized(GgmlType.Q6_K, cols, 5 * w, r);
        Tensor k = quantized(GgmlType.Q4_K, cols, 3 * w, r);
        int xStride = cols + 5;
        float[] x = gaussian(r, batch * xStride);
        float[] y = new float[batch * m.rows()];
        float[] yk = new float[batch * k.rows()];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
            assertThat(mm.pack(m) && mm.pack(k)).isTrue();
            mm.apply(m, y, m.rows(), k, yk, k.rows(), x, xStride, batch);
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get(), ActivationFormat.Q8_K);
        q.quantize(x, xStride, cols, batch);
        for (int t = 0; t < batch; t++) {
            for (int row = 0; row < m.rows(); row++) {
                assertThat(y[t * m.rows() + row]).as("token %d row %d", t, row).isEqualTo(q6_KReference(m, row, q, t));
            }
        }
    }

    /**
     * Q5_0 on Q8_0 activations, bit for bit as ggml's {@code vec_dot_q5_0_q8_0} states it and read from the
     * file's nibbles and fifth bits: per block fma(Σ (q − 16)·q_x, d_w·d_x, acc). Weights include blocks of
     * the extreme −16 against activations of ±127, where 16-bit sums over a whole block would overflow.
     */
    @ParameterizedTest(name = "batch={0} threads={1}")
    @MethodSource("batchesAndThreads")
    void q5_0IsGgmlsIntegerSum(int batch, int threads) {
        SplittableRandom r = new SplittableRandom(batch * 19L + threads);
        int cols = 352;   // 11 blocks: the batch kernel scales its sums by chunks of 8 blocks, then 3
        int w = stripRows();
        Tensor m = quantized(GgmlType.Q5_0, cols, 5 * w, r);
        for (int row = 0; row < 2; row++) {   // q = 0 everywhere in a block: value −16
            long blk = row * m.rowBytes() + 22L * row;
            m.data().set(ValueLayout.JAVA_INT_UNALIGNED, blk + 2, 0);
            for (int i = 0; i < 16; i++) {
                m.data().set(ValueLayout.JAVA_BYTE, blk + 6 + i, (byte) 0);
            }
        }
        assertPackedProductOfExtremes(m, batch, threads, r, PackedMatrixTest::q5_0Reference);
    }

    /**
     * Q8_0 on Q8_0 activations, bit for bit as ggml's {@code vec_dot_q8_0_q8_0} states it: per block
     * fma(Σ q·q_x, d_w·d_x, acc). Weights include blocks of −128 against activations of +127, the largest
     * block sum (32·128·127), which the kernel's float lanes must still hold exactly.
     */
    @ParameterizedTest(name = "batch={0} threads={1}")
    @MethodSource("batchesAndThreads")
    void q8_0IsGgmlsIntegerSum(int batch, int threads) {
        SplittableRandom r = new SplittableRandom(batch * 23L + threads);
        int cols = 96;
        int w = stripRows();
        assumeTrue(w >= 16, "Q8_0 strips need vectors of 16 shorts or more");
        Tensor m = quantized(GgmlType.Q8_0, cols, 5 * w, r);
        for (int row = 0; row < 2; row++) {   // a block of −128
            long blk = row * m.rowBytes() + 34L * row;
            for (int i = 0; i < 32; i++) {
                m.data().set(ValueLayout.JAVA_BYTE, blk + 2 + i, (byte) -128);
            }
        }
        assertPackedProductOfExtremes(m, batch, threads, r, PackedMatrixTest::q8_0Reference);
    }

    /** A reference output: row {@code row} of {@code m} times token {@code token} of {@code q}. */
    private interface Reference {
        float of(Tensor m, int row, Q8Activations q, int token);
    }

    /**
     * {@code m} packed and multiplied through MatMul by {@code batch} tokens on {@code threads} threads,
     * token 0's first two blocks all +127 (against the extreme weights the caller planted there), equal
     * bit for bit to {@code reference} on the activations quantised alone.
     */
    private static void assertPackedProductOfExtremes(Tensor m, int batch, int threads, SplittableRandom r, Reference reference) {
        int cols = m.cols();
        int xStride = cols + 2;
        float[] x = gaussian(r, batch * xStride);
        java.util.Arrays.fill(x, 0, 64, 3f);
        float[] y = new float[batch * m.rows()];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
            assertThat(mm.pack(m)).isTrue();
            mm.apply(m, x, xStride, y, m.rows(), batch);
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get());
        q.quantize(x, xStride, cols, batch);
        assertThat(q.quant(0, 0)).isEqualTo(127);
        for (int t = 0; t < batch; t++) {
            for (int row = 0; row < m.rows(); row++) {
                assertThat(y[t * m.rows() + row]).as("token %d row %d", t, row).isEqualTo(reference.of(m, row, q, t));
            }
        }
    }

    /**
     * Extremes: values −32 and +31 against activations of ±127 and the largest scales, where 16-bit sums
     * of sixteen columns would overflow and the sums of the unsigned low bytes (+31 is 63 there) wrap
     * around 16 bits many times. The two rows of a lane (l and W+l) always differ, and lanes hold both
     * (−32, +31) and (+31, −32); three tokens (all −127; −127 then +127s; −127 and +127 alternating), so
     * the batch tile runs as well as the decode kernel.
     */
    @Test
    void largestQ6_KSumsStayExact() {
        int cols = 256;
        assumeTrue(stripRows() >= 16, "Q6_K strips need vectors of 16 shorts or more");
        int h = stripRows(GgmlType.Q6_K);
        int rows = 2 * h;
        // ql and qh all zero: q = 0, value −32; all ones: q = 63, value +31. Scales 127 or −128; d = 0.5.
        byte[] bytes = new byte[(int) GgmlType.Q6_K.bytesFor((long) cols * rows)];
        MemorySegment data = MemorySegment.ofArray(bytes);
        for (int row = 0; row < rows; row++) {
            if (row % 4 >= 2 ^ row % h >= h / 2) {   // +31; the lanes' second rows (h/2 .. h) the other way
                java.util.Arrays.fill(bytes, 210 * row, 210 * row + 192, (byte) 0xFF);
            }
            for (int g = 0; g < 16; g++) {
                bytes[210 * row + 192 + g] = (byte) (row % 3 == 0 ? 127 : -128);
            }
            data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 210L * row + 208, Float.floatToFloat16(0.5f));
        }
        Tensor m = new Tensor("extreme", GgmlType.Q6_K, new long[] {cols, rows}, data);
        // Q8_K puts the sign of a super-block's first largest value into d, which makes that value −127:
        // token 1 is −3 then +3s (−127 then +127s), token 2 alternates +3 and −3 (−127, +127, −127, ...).
        float[] x = new float[3 * cols];
        java.util.Arrays.fill(x, 0, cols, -3f);
        java.util.Arrays.fill(x, cols, 2 * cols, 3f);
        x[cols] = -3f;
        for (int i = 0; i < cols; i++) {
            x[2 * cols + i] = i % 2 == 0 ? 3f : -3f;
        }
        for (int tokens = 1; tokens <= 3; tokens += 2) {
            Q8Activations q = new Q8Activations(FloatOpsProvider.get(), ActivationFormat.Q8_K);
            q.quantize(x, cols, cols, tokens);
            assertThat(q.quant(0, 0)).isEqualTo(-127);
            if (tokens == 3) {
                assertThat(q.quant(1, 0)).isEqualTo(-127);
                assertThat(q.quant(1, 1)).isEqualTo(127);
                assertThat(q.quant(2, 0)).isEqualTo(-127);
                assertThat(q.quant(2, 1)).isEqualTo(127);
            }
            float[] y = new float[tokens * rows];
            PackedMatrix.of(m).multiply(q, y, rows, 0, 2, new PackedMatrix.Workspace());
            float dx = q.scale(0, 0);
            assertThat(y[0]).isEqualTo((float) (16 * 127 * (-32 * -127 * 16)) * (0.5f * dx));
            assertThat(y[2]).isEqualTo((float) (16 * -128 * (31 * -127 * 16)) * (0.5f * dx));
            for (int t = 0; t < tokens; t++) {
                for (int row = 0; row < rows; row++) {
                    assertThat(y[t * rows + row]).as("tokens %d token %d row %d", tokens, t, row).isEqualTo(q6_KReference(m, row, q, t));
                }
            }
        }
    }

    /** Any strip range a thread may get, including ones that start inside a group. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = GgmlType.class, names = {"Q2_K", "Q3_K", "Q4_0", "Q4_K", "Q5_0", "Q5_1", "Q4_1", "Q5_K", "Q6_K", "Q8_0"})
    void everyStripRangeGivesTheSameBits(GgmlType type) {
        SplittableRandom r = new SplittableRandom(3);
        int cols = type == GgmlType.Q4_0 ? 96 : 256;
        assumeTrue(type != GgmlType.Q6_K && type != GgmlType.Q8_0 || stripRows() >= 16, "Q6_K and Q8_0 strips need vectors of 16 shorts or more");
        int w = stripRows(type);
        Tensor m = quantized(type, cols, 7 * w, r);
        PackedMatrix p = PackedMatrix.of(m);
        int tokens = 11;
        float[] x = gaussian(r, tokens * cols);
        Q8Activations q = new Q8Activations(FloatOpsProvider.get(), p.activations());
        q.quantize(x, cols, cols, tokens);
        PackedMatrix.Workspace ws = new PackedMatrix.Workspace();
        float[][] alone = eachTokenAlone(p, x, tokens, 7);
        for (int from = 0; from < 7; from++) {
            for (int to = from + 1; to <= 7; to++) {
                float[] y = new float[tokens * m.rows()];
                p.multiply(q, y, m.rows(), from, to, ws);
                for (int t = 0; t < tokens; t++) {
                    for (int row = 0; row < m.rows(); row++) {
                        float expected = row >= from * w && row < to * w
                                ? switch (type) {
                                    case Q4_0 -> reference(m, row, q, t);
                                    case Q6_K -> q6_KReference(m, row, q, t);
                                    case Q5_0 -> q5_0Reference(m, row, q, t);
                                    case Q8_0 -> q8_0Reference(m, row, q, t);
                                    default -> alone[t][row];
                                } : 0f;
                        assertThat(y[t * m.rows() + row]).as("strips %d..%d token %d row %d", from, to, t, row)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** Strips 0 .. strips of p for each token of x (rows of p.cols() values) multiplied on its own. */
    private static float[][] eachTokenAlone(PackedMatrix p, float[] x, int tokens, int strips) {
        int cols = p.cols();
        float[][] alone = new float[tokens][p.rows()];
        Q8Activations one = new Q8Activations(FloatOpsProvider.get(), p.activations());
        PackedMatrix.Workspace ws = new PackedMatrix.Workspace();
        for (int t = 0; t < tokens; t++) {
            one.quantize(java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols), cols, cols, 1);
            p.multiply(one, alone[t], p.rows(), 0, strips, ws);
        }
        return alone;
    }

    /**
     * Any token range a thread may get of a group (a share of a batch cut inside a group): each token of
     * the range gets the bits it gets alone, tokens outside it are not written. Ranges shorter than a tile
     * go through the decode kernel, longer ones end with an overlapping tile.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = GgmlType.class, names = {"Q2_K", "Q3_K", "Q4_0", "Q4_K", "Q5_0", "Q5_1", "Q4_1", "Q5_K", "Q6_K", "Q8_0"})
    void everyTokenRangeGivesTheSameBits(GgmlType type) {
        SplittableRandom r = new SplittableRandom(4);
        assumeTrue(type != GgmlType.Q6_K && type != GgmlType.Q8_0 || stripRows() >= 16, "Q6_K and Q8_0 strips need vectors of 16 shorts or more");
        int cols = 256;
        int w = stripRows(type);
        Tensor m = quantized(type, cols, 3 * w - 3, r);   // a group and a padded strip
        PackedMatrix p = PackedMatrix.of(m);
        int strips = 3;
        int tokens = 10;
        float[] x = gaussian(r, tokens * cols);
        Q8Activations q = new Q8Activations(FloatOpsProvider.get(), p.activations());
        q.quantize(x, cols, cols, tokens);
        PackedMatrix.Workspace ws = new PackedMatrix.Workspace();
        float[][] alone = eachTokenAlone(p, x, tokens, strips);
        for (int from = 0; from <= tokens; from++) {
            for (int to = from; to <= tokens; to++) {
                float[] y = new float[tokens * m.rows()];
                java.util.Arrays.fill(y, Float.NaN);
                p.multiply(q, from, to, y, m.rows(), 0, strips, ws);
                float[] untouched = new float[m.rows()];
                java.util.Arrays.fill(untouched, Float.NaN);
                for (int t = 0; t < tokens; t++) {
                    assertThat(java.util.Arrays.copyOfRange(y, t * m.rows(), (t + 1) * m.rows()))
                            .as("tokens %d..%d: token %d", from, to, t).containsExactly(t >= from && t < to ? alone[t] : untouched);
                }
            }
        }
    }

    /** A token range outside the quantised batch is refused with the range in the message, not read past. */
    @Test
    void aTokenRangeOutsideTheBatchIsRefused() {
        SplittableRandom r = new SplittableRandom(6);
        PackedMatrix p = PackedMatrix.of(quantized(GgmlType.Q4_0, 64, stripRows(GgmlType.Q4_0), r));
        Q8Activations q = new Q8Activations(FloatOpsProvider.get());
        q.quantize(gaussian(r, 3 * 64), 64, 64, 3);
        float[] y = new float[8 * p.rows()];
        PackedMatrix.Workspace ws = new PackedMatrix.Workspace();
        for (int[] range : new int[][] {{0, 4}, {-1, 2}, {2, 1}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.multiply(q, range[0], range[1], y, p.rows(), 0, 1, ws))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tokens " + range[0] + " to " + range[1] + " of a batch of 3");
        }
        p.multiply(q, 0, 3, y, p.rows(), 0, 1, ws);   // and the same object still serves a good range
        assertThat(y[2 * p.rows()]).isNotZero();
    }

    /** q, k and v types of {@link #aBatchSplitByGroupsAndTokensGivesTheSameBits}: a Q4_K_M layer's, and Q8_0 (six-token tiles). */
    static List<Arguments> layerTypes() {
        return List.of(Arguments.of(GgmlType.Q4_K, GgmlType.Q4_K, GgmlType.Q6_K), Arguments.of(GgmlType.Q8_0, GgmlType.Q8_0, GgmlType.Q8_0));
    }

    /**
     * A prompt-sized batch on two and three threads, split by groups of strips and tokens: q, k and v of a
     * layer (a Q4_K_M file's Q4_K, Q4_K and Q6_K, or all Q8_0; odd numbers of strips) give every token the
     * bits it gets alone, every output written. The shares are cut inside groups (on two threads, inside
     * q's last group), so threads share a group by tokens, and a thread's tokens of a group end in tiles
     * of every width (41 tokens: whole tiles, then the narrow ones).
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("layerTypes")
    void aBatchSplitByGroupsAndTokensGivesTheSameBits(GgmlType qType, GgmlType kType, GgmlType vType) {
        SplittableRandom r = new SplittableRandom(5);
        int cols = 256;
        int h = stripRows(qType);
        Tensor wq = quantized(qType, cols, 7 * h, r);
        Tensor wk = quantized(kType, cols, 2 * h, r);
        Tensor wv = quantized(vType, cols, 3 * stripRows(vType) + 5, r);
        // The split weighs padded rows: 7h + 2h + 4 strips of v; two threads cut that in half, inside q's last
        // group (strips 4 to 7 of two-strip groups) when v's strip is as high as q's.
        assertThat(stripRows(vType)).isEqualTo(h);
        int batch = 41;
        int xStride = cols + 3;
        float[] x = gaussian(r, batch * xStride);
        float[][] ys = new float[3][];
        float[][][] alone = new float[3][batch][];
        Tensor[] ws = {wq, wk, wv};
        for (int threads = 1; threads <= 3; threads++) {
            try (ThreadTeam team = new ThreadTeam(threads)) {
                MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
                assertThat(mm.pack(wq) && mm.pack(wk) && mm.pack(wv)).isTrue();
                for (int i = 0; i < 3; i++) {
                    ys[i] = new float[batch * ws[i].rows()];
                    java.util.Arrays.fill(ys[i], Float.NaN);   // an output no thread wrote stays NaN
                }
                mm.apply(wq, ys[0], wq.rows(), wk, ys[1], wk.rows(), wv, ys[2], wv.rows(), x, xStride, batch);
                if (threads == 1) {
                    for (int t = 0; t < batch; t++) {
                        float[] xt = java.util.Arrays.copyOfRange(x, t * xStride, (t + 1) * xStride);
                        for (int i = 0; i < 3; i++) {
                            alone[i][t] = new float[ws[i].rows()];
                        }
                        mm.apply(wq, alone[0][t], wq.rows(), wk, alone[1][t], wk.rows(), wv, alone[2][t], wv.rows(), xt, xStride, 1);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < batch; t++) {
                    assertThat(java.util.Arrays.copyOfRange(ys[i], t * ws[i].rows(), (t + 1) * ws[i].rows()))
                            .as("%d threads, matrix %d, token %d", threads, i, t).containsExactly(alone[i][t]);
                }
            }
        }
    }

    /**
     * Extremes of both ranges: the 16-bit block sums must not overflow (|sum| ≤ 32·8·127), and the two
     * rows a lane holds must come apart exactly while the unsigned sums they are taken from wrap around
     * 16 bits. Row r of a strip has every nibble 15 (value +7) where bit r/W of its lane number r % W is
     * set, else 0 (value −8), so the lanes hold all four pairs; every activation is its block's largest,
     * q_x = ±127. Two strips and three tokens: through the decode kernel and through the batch tile.
     */
    @Test
    void largestIntegerSumsStayExact() {
        int cols = 64;
        int h = stripRows(GgmlType.Q4_0);
        int w = h / 2;   // lanes: a Q4 strip is two rows per lane
        int rows = 2 * h;
        MemorySegment data = MemorySegment.ofArray(new byte[(int) GgmlType.Q4_0.bytesFor((long) cols * rows)]);
        for (int b = 0; b < rows * cols / 32; b++) {
            data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 18L * b, Float.floatToFloat16(0.5f));
            if (high(b / (cols / 32), w)) {
                for (int i = 0; i < 16; i++) {
                    data.set(ValueLayout.JAVA_BYTE, 18L * b + 2 + i, (byte) 0xFF);
                }
            }
        }
        Tensor m = new Tensor("extreme", GgmlType.Q4_0, new long[] {cols, rows}, data);
        float[] x = new float[3 * cols];
        java.util.Arrays.fill(x, 0, cols, 3f);
        java.util.Arrays.fill(x, cols, 2 * cols, -3f);
        java.util.Arrays.fill(x, 2 * cols, 3 * cols, 3f);
        float d = 0.5f * Q8Activations.scale(3f);
        for (int tokens = 1; tokens <= 3; tokens += 2) {
            Q8Activations q = new Q8Activations(FloatOpsProvider.get());
            q.quantize(x, cols, cols, tokens);
            float[] y = new float[tokens * rows];
            PackedMatrix.of(m).multiply(q, y, rows, 0, 2, new PackedMatrix.Workspace());
            for (int t = 0; t < tokens; t++) {
                for (int row = 0; row < rows; row++) {
                    float sum = (high(row, w) ? 32 * 7 * 127 : -32512f) * (t == 1 ? -1 : 1);
                    assertThat(y[t * rows + row]).as("%d tokens: token %d row %d", tokens, t, row).isEqualTo(Math.fma(sum, d, sum * d));
                }
            }
        }
    }

    /** Whether row {@code row} of {@link #largestIntegerSumsStayExact} has nibbles 15: bit (row in strip)/W of its lane. */
    private static boolean high(int row, int w) {
        return ((row % w) >> (row % (2 * w) / w) & 1) == 1;
    }

    /**
     * Rows that are not whole strips (a vocabulary of 438): the last strip is padded, its real rows come
     * out as the reference says, and the outputs past them stay untouched, alone and batched.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = GgmlType.class, names = {"Q2_K", "Q3_K", "Q4_0", "Q4_K", "Q5_0", "Q5_1", "Q4_1", "Q5_K", "Q6_K", "Q8_0"})
    void aPartLastStripIsPaddedNotWrittenPast(GgmlType type) {
        SplittableRandom r = new SplittableRandom(11);
        assumeTrue(type != GgmlType.Q6_K && type != GgmlType.Q8_0 || stripRows() >= 16, "Q6_K and Q8_0 strips need vectors of 16 shorts or more");
        int w = stripRows(type);
        int cols = 256;
        int rows = 3 * w - 5;
        Tensor full = quantized(type, cols, 3 * w, r);
        Tensor m = new Tensor("part", type, new long[] {cols, rows}, full.data().asSlice(0, rows * full.rowBytes()));
        for (int batch : new int[] {1, 7}) {
            float[] x = gaussian(r, batch * cols);
            int stride = rows + 4;
            float[] y = new float[batch * stride];
            java.util.Arrays.fill(y, Float.NaN);
            float[] whole = new float[batch * full.rows()];
            for (int threads = 1; threads <= 2; threads++) {
                try (ThreadTeam team = new ThreadTeam(threads)) {
                    MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
                    assertThat(mm.pack(m) && mm.pack(full)).isTrue();
                    mm.apply(m, x, cols, y, stride, batch);
                    mm.apply(full, x, cols, whole, full.rows(), batch);
                }
                Q8Activations q = new Q8Activations(FloatOpsProvider.get(), PackedMatrix.of(m).activations());
                q.quantize(x, cols, cols, batch);
                for (int t = 0; t < batch; t++) {
                    for (int row = 0; row < rows; row++) {
                        float expected = switch (type) {
                            case Q4_0 -> reference(m, row, q, t);
                            case Q5_0 -> q5_0Reference(m, row, q, t);
                            case Q6_K -> q6_KReference(m, row, q, t);
                            case Q8_0 -> q8_0Reference(m, row, q, t);
                            default -> whole[t * full.rows() + row];   // the others: the same rows as whole strips
                        };
                        assertThat(y[t * stride + row]).as("batch %d token %d row %d", batch, t, row)
                                .isEqualTo(expected).isEqualTo(whole[t * full.rows() + row]);
                    }
                    for (int pad = rows; pad < stride; pad++) {
                        assertThat(y[t * stride + pad]).as("past the last row, token %d", t).isNaN();
                    }
                }
            }
        }
    }

    @Test
    void typesWithAnIntegerKernelArePacked() {
        SplittableRandom r = new SplittableRandom(5);
        int w = stripRows();
        assertThat(PackedMatrix.of(q4(64, w + 1, r))).isNotNull();
        Tensor f16 = new Tensor("f16", GgmlType.F16, new long[] {64, w}, MemorySegment.ofArray(new byte[64 * w * 2]));
        assertThat(PackedMatrix.of(f16)).isNull();
        assertThat(PackedMatrix.of(quantized(GgmlType.Q6_K, 256, w + 1, r)) != null).isEqualTo(w >= 16);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q8_0, 256, w + 3, r)) != null).isEqualTo(w >= 16);
        Tensor bf16 = new Tensor("bf16", GgmlType.BF16, new long[] {64, w}, MemorySegment.ofArray(new byte[64 * w * 2]));
        assertThat(PackedMatrix.of(bf16)).isNull();
        assertThat(PackedMatrix.of(quantized(GgmlType.Q2_K, 256, 2 * w + 2, r)).activations()).isEqualTo(ActivationFormat.Q8_K);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q3_K, 256, 2 * w + 2, r)).activations()).isEqualTo(ActivationFormat.Q8_K);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q5_1, 256, w + 2, r)).activations()).isEqualTo(ActivationFormat.Q8_0);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q4_1, 256, w + 2, r)).activations()).isEqualTo(ActivationFormat.Q8_0);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q5_K, 256, w + 2, r)).activations()).isEqualTo(ActivationFormat.Q8_K);
        assertThat(PackedMatrix.of(quantized(GgmlType.Q5_0, 256, w + 2, r))).isNotNull();
        assertThat(PackedMatrix.of(quantized(GgmlType.Q5_0, 256, w, r)).activations()).isEqualTo(ActivationFormat.Q8_0);
        if (w >= 16) {
            assertThat(PackedMatrix.of(quantized(GgmlType.Q6_K, 256, w, r)).activations()).isEqualTo(ActivationFormat.Q8_K);
            assertThat(PackedMatrix.of(quantized(GgmlType.Q8_0, 256, w, r)).activations()).isEqualTo(ActivationFormat.Q8_0);
        }
        assertThat(PackedMatrix.of(quantized(GgmlType.Q4_K, 256, w, r)).activations()).isEqualTo(ActivationFormat.Q8_K);
        assertThat(PackedMatrix.of(q4(64, w, r)).activations()).isEqualTo(ActivationFormat.Q8_0);
        Tensor partBlocks = new Tensor("part", GgmlType.Q3_K, new long[] {300, w}, MemorySegment.ofArray(new byte[4096]));
        assertThat(PackedMatrix.of(partBlocks)).as("rows of 300 values are not whole Q3_K blocks").isNull();
        try (ThreadTeam team = new ThreadTeam(1)) {
            assertThat(new MatMul(team, FloatOpsProvider.get(), 64, false).pack(q4(64, w, r)))
                    .as("exact math never packs").isFalse();
        }
    }

    /**
     * A matrix whose copy would not fit the heap budget (the maximum heap less its reserve) is left to the
     * float kernel without being read, and the budget it did not take still serves smaller matrices.
     */
    @Test
    void aMatrixPastTheHeapBudgetStaysInTheFile() {
        int w = stripRows();
        int cols = 4096;
        long rows = Runtime.getRuntime().maxMemory() / cols * 2;   // Q4_0 copies take 0.625 bytes a value
        assumeTrue(rows < Integer.MAX_VALUE, "heap too large for this test's shape");
        Tensor huge = new Tensor("huge", GgmlType.Q4_0, new long[] {cols, rows}, MemorySegment.ofArray(new byte[18]));
        try (ThreadTeam team = new ThreadTeam(1)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols, true);
            assertThat(mm.pack(huge)).isFalse();
            assertThat(mm.pack(q4(64, w, new SplittableRandom(2)))).isTrue();
        }
    }

    /**
     * The machine's 16-bit lane count W: half the rows of a Q5_0 strip (Q8_0 strips are W rows, Q3, Q4, Q5
     * and Q6_K strips 2W). The tests need the Vector API kernel.
     */
    private static int stripRows() {
        PackedMatrix probe = PackedMatrix.of(quantized(GgmlType.Q5_0, 32, 64, new SplittableRandom(1)));
        assumeTrue(probe != null, "no packed kernel on this machine");
        return probe.strip() / 2;
    }

    /** Rows per strip of {@code type} on this machine. */
    private static int stripRows(GgmlType type) {
        PackedMatrix probe = PackedMatrix.of(quantized(type, 256, 64, new SplittableRandom(1)));
        assumeTrue(probe != null, "no packed " + type + " kernel on this machine");
        return probe.strip();
    }

    /** Σ over blocks of fma(Σ (q_w − 8)·q_x, d_w·d_x, acc), read from the Q4_0 bytes themselves. */
    private static float reference(Tensor m, int row, Q8Activations q, int token) {
        MemorySegment data = m.data();
        long base = row * m.rowBytes();
        float acc = 0;
        for (int b = 0; b < m.cols() / 32; b++) {
            long blk = base + 18L * b;
            float dw = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                int packed = data.get(ValueLayout.JAVA_BYTE, blk + 2 + j) & 0xFF;
                sum += ((packed & 0xF) - 8) * q.quant(token, 32 * b + j);
                sum += ((packed >> 4) - 8) * q.quant(token, 32 * b + j + 16);
            }
            acc = Math.fma((float) sum, dw * q.scale(token, b), acc);
        }
        return acc;
    }

    /**
     * Σ over super-blocks of fma(Σ_g scale_g·Σ (q − 32)·q_x, d_w·d_x, acc), the 6-bit q read from the Q6_K
     * bit planes: in half n, byte l of ql (and l+32) and byte l of qh hold values 128n + l, +32, +64, +96.
     */
    private static float q6_KReference(Tensor m, int row, Q8Activations q, int token) {
        MemorySegment data = m.data();
        float acc = 0;
        for (int b = 0; b < m.cols() / 256; b++) {
            long blk = row * m.rowBytes() + 210L * b;
            int[] six = new int[256];
            for (int n = 0; n < 2; n++) {
                for (int l = 0; l < 32; l++) {
                    int lo = data.get(ValueLayout.JAVA_BYTE, blk + 64 * n + l) & 0xFF;
                    int hi = data.get(ValueLayout.JAVA_BYTE, blk + 64 * n + l + 32) & 0xFF;
                    int h = data.get(ValueLayout.JAVA_BYTE, blk + 128 + 32 * n + l) & 0xFF;
                    six[128 * n + l] = (lo & 15) | (h & 3) << 4;
                    six[128 * n + l + 32] = (hi & 15) | (h >> 2 & 3) << 4;
                    six[128 * n + l + 64] = (lo >> 4) | (h >> 4 & 3) << 4;
                    six[128 * n + l + 96] = (hi >> 4) | (h >> 6 & 3) << 4;
                }
            }
            int sum = 0;
            for (int g = 0; g < 16; g++) {
                int part = 0;
                for (int i = 16 * g; i < 16 * g + 16; i++) {
                    part += (six[i] - 32) * q.quant(token, 256 * b + i);
                }
                sum += data.get(ValueLayout.JAVA_BYTE, blk + 192 + g) * part;
            }
            float dw = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk + 208));
            acc = Math.fma((float) sum, dw * q.scale(token, 8 * b), acc);
        }
        return acc;
    }

    /** Σ over blocks of fma(Σ (q − 16)·q_x, d_w·d_x, acc), q = nibble | fifth bit << 4 from the Q5_0 bytes. */
    private static float q5_0Reference(Tensor m, int row, Q8Activations q, int token) {
        MemorySegment data = m.data();
        float acc = 0;
        for (int b = 0; b < m.cols() / 32; b++) {
            long blk = row * m.rowBytes() + 22L * b;
            float dw = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
            int fifth = data.get(ValueLayout.JAVA_INT_UNALIGNED, blk + 2);
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                int packed = data.get(ValueLayout.JAVA_BYTE, blk + 6 + j) & 0xFF;
                sum += ((packed & 15 | (fifth >>> j & 1) << 4) - 16) * q.quant(token, 32 * b + j);
                sum += ((packed >> 4 | (fifth >>> (j + 16) & 1) << 4) - 16) * q.quant(token, 32 * b + j + 16);
            }
            acc = Math.fma((float) sum, dw * q.scale(token, b), acc);
        }
        return acc;
    }

    /** Σ over blocks of fma(Σ q·q_x, d_w·d_x, acc), read from the Q8_0 bytes. */
    private static float q8_0Reference(Tensor m, int row, Q8Activations q, int token) {
        MemorySegment data = m.data();
        float acc = 0;
        for (int b = 0; b < m.cols() / 32; b++) {
            long blk = row * m.rowBytes() + 34L * b;
            float dw = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, blk));
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                sum += data.get(ValueLayout.JAVA_BYTE, blk + 2 + j) * q.quant(token, 32 * b + j);
            }
            acc = Math.fma((float) sum, dw * q.scale(token, b), acc);
        }
        return acc;
    }

    private static Tensor q4(int cols, int rows, SplittableRandom r) {
        return quantized(GgmlType.Q4_0, cols, rows, r);
    }

    private static Tensor quantized(GgmlType type, int cols, int rows, SplittableRandom r) {
        float[] v = new float[cols * rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1 + (i % 7 == 0 ? 0.05 : 0));   // some offset, for the K mins
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(v.length)]);
        BlockCodecs.of(type).quantize(v, 0, seg, 0, v.length);
        return new Tensor(type.name(), type, new long[] {cols, rows}, seg);
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
