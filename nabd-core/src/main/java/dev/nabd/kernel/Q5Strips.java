package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A matrix of 32-value blocks with one byte per value once unpacked, repacked into strips of W rows (W =
 * the 16-bit lane count: 32 with AVX-512, 16 with AVX2) for integer products with {@link Q8Activations},
 * as llama.cpp multiplies them: Q5_0, Q5_1 and Q4_1 with Q8_0 activations, Q5_K with Q8_K. Loaded only
 * through {@link PackedMatrix#of}.
 *
 * <p>Layout: Java arrays, strip after strip, and in a strip block after block of 32 columns:
 * <pre>
 *   scales:  W floats          A of each row's block
 *   offsets: W floats          C of each row's block (not for Q5_0)
 *   quants:  16 × W shorts     pair k: lane r = row r's q − bias of column k in the low byte and of
 *                              column k+16 in the high byte, bias 16 (8 for Q4_1)
 * </pre>
 * Each value is A·(q − bias) + C: Q5_0 d·(q − 16) (C = 0); Q5_1 d·q + m, so A = d and C = 16d + m; Q4_1
 * likewise with C = 8d + m; Q5_K d·sc·q − dmin·m per sub-block of 32, so A = d·sc (exact in float) and
 * C = 16A − dmin·m. A byte per 5-bit value (45% more than the file's 5.5 bits for Q5_0; with A and C, 40
 * bytes per 32 values against the file's 24, 20 and 22) turns the file's nibble and fifth-bit planes into
 * three shifts per pair.
 *
 * <p>Arithmetic, per row and block, as ggml's {@code vec_dot_q5_0_q8_0}: the integer
 * {@code Σ (q − bias)·x}, then {@code y = fma(sum, A·d_x, y)} block after block. The 16-bit lanes hold the
 * block's sum in two halves of sixteen columns (16·16·127 = 32512 fits; 32 would not); both halves
 * become floats and their exact float sum is the integer one. The offsets meet the activations' block
 * sums (d_x·Σq_x, {@link Q8Activations#blockSum}) in a sum of their own, {@code o = fma(C, blockSum, o)}
 * block after block from 0, and the result is y + o (as {@link Q4Strips} does for Q4_K, and as ggml keeps
 * the minimums' part of Q5_1 and Q5_K apart).
 *
 * <p>A batch of three tokens or more unpacks two strips at a time to 16-bit values and runs them by three
 * tokens at a time ({@link #tile}) with the same operations per output as a token alone ({@link #one}):
 * a token's result is the same bits alone or batched.
 */
final class Q5Strips extends Strips {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int blocks;
    /** A, W floats per block, strip after strip. */
    private final float[] scales;
    /** C, laid out as {@link #scales}; null for Q5_0, whose values have none. */
    private final float[] offsets;
    /** The quants in pairs: 16 × W shorts per block, strip after strip. */
    private final short[] quants;

    private Q5Strips(int rows, int cols, ActivationFormat activations, float[] scales, float[] offsets, short[] quants) {
        super(rows, cols, activations, STRIPS, W);
        this.blocks = cols / 32;
        this.scales = scales;
        this.offsets = offsets;
        this.quants = quants;
    }

    /** The packed copy of a Q5_0, Q5_1, Q4_1 or Q5_K matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        GgmlType type = w.type();
        boolean known = type == GgmlType.Q5_0 || type == GgmlType.Q5_1 || type == GgmlType.Q4_1 || type == GgmlType.Q5_K;
        if (!known || W < 8 || (long) padded(w.rows(), W) * w.cols() / 2 > Integer.MAX_VALUE - 64) {
            return null;
        }
        int rows = w.rows();
        int blocks = w.cols() / 32;
        float[] scales = new float[padded(rows, W) * blocks];
        float[] offsets = type == GgmlType.Q5_0 ? null : new float[scales.length];
        short[] pairs = new short[padded(rows, W) * blocks * 16];
        MemorySegment in = w.data();
        int[] q = new int[32];   // one block's values as the file gives them, unsigned
        int bias = type == GgmlType.Q4_1 ? 8 : 16;
        for (int r = 0; r < rows; r++) {
            int lane = r % W;
            long row = r * w.rowBytes();
            for (int b = 0; b < blocks; b++) {
                int block = (r / W) * blocks + b;
                int at = block * W + lane;
                switch (type) {
                    case Q5_0 -> {
                        // fp16 d, u32 of fifth bits (bit j: value j), 16 bytes: values 0..15 low nibbles, 16..31 high.
                        long src = row + 22L * b;
                        scales[at] = Float.float16ToFloat(in.get(U16, src));
                        nibbles(in, src + 6, in.get(U32, src + 2), q);
                    }
                    case Q5_1, Q4_1 -> {
                        // fp16 d, fp16 m, then as Q5_0 (Q4_1: no fifth bits). Values d·q + m = d·(q − bias) + C.
                        boolean five = type == GgmlType.Q5_1;
                        long src = row + (five ? 24L : 20L) * b;
                        float d = Float.float16ToFloat(in.get(U16, src));
                        scales[at] = d;
                        offsets[at] = bias * d + Float.float16ToFloat(in.get(U16, src + 2));
                        nibbles(in, src + (five ? 8 : 4), five ? in.get(U32, src + 4) : 0, q);
                    }
                    default -> {
                        // Q5_K super-block b/8: fp16 d and dmin, 12 bytes of 6-bit scales and mins (as Q4_K's),
                        // 32 bytes qh whose bit j is sub-block j's fifth bit, 128 bytes where sub-blocks 2g and
                        // 2g+1 are the low and high nibbles of bytes 32g ..
                        long sb = row + 176L * (b / 8);
                        int j = b % 8;
                        float a = Float.float16ToFloat(in.get(U16, sb)) * PanamaRows.Q4_K.scale(in.get(U32, sb + 4), in.get(U32, sb + 12), j);
                        float dmin = Float.float16ToFloat(in.get(U16, sb + 2));
                        scales[at] = a;
                        offsets[at] = 16 * a - dmin * PanamaRows.Q4_K.min(in.get(U32, sb + 8), in.get(U32, sb + 12), j);
                        long qs = sb + 48 + 32L * (j / 2);
                        for (int l = 0; l < 32; l++) {
                            int low = in.get(ValueLayout.JAVA_BYTE, qs + l) >> 4 * (j % 2) & 0xF;
                            q[l] = low | (in.get(ValueLayout.JAVA_BYTE, sb + 16 + l) >> j & 1) << 4;
                        }
                    }
                }
                for (int k = 0; k < 16; k++) {
                    pairs[(block * 16 + k) * W + lane] = (short) ((q[k] - bias) & 0xFF | (q[k + 16] - bias) << 8);
                }
            }
        }
        ActivationFormat activations = type == GgmlType.Q5_K ? ActivationFormat.Q8_K : ActivationFormat.Q8_0;
        return new Q5Strips(rows, w.cols(), activations, scales, offsets, pairs);
    }

    /**
     * A legacy block's 32 values into q: byte k at {@code bytes} holds value k in its low nibble and k+16
     * in its high one, bit j of {@code fifth} is value j's fifth bit (0 for Q4_1).
     */
    private static void nibbles(MemorySegment in, long bytes, int fifth, int[] q) {
        for (int k = 0; k < 16; k++) {
            int pair = in.get(ValueLayout.JAVA_BYTE, bytes + k) & 0xFF;
            q[k] = pair & 0xF | (fifth >>> k & 1) << 4;
            q[k + 16] = pair >> 4 | (fifth >>> (k + 16) & 1) << 4;
        }
    }

    /** Strips per group of the batch kernel. */
    private static final int STRIPS = 2;

    /**
     * One token through strip {@code s}: y[yOff .. yOff+W). Columns 0-15 and 16-31 of a block sum in two
     * 16-bit accumulators, the low and high bytes of its pairs. Vectors stay in local variables of this
     * one method: passed to a helper C2 does not inline, they would be boxed on the heap.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);   // a vector shift count: see Q4Strips.oneQ40
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int block = s * blocks + b;
            int x = t * cols + 32 * b;
            ShortVector first = ShortVector.zero(S);
            ShortVector second = ShortVector.zero(S);
            for (int k = 0; k < 16; k++) {
                ShortVector v = ShortVector.fromArray(S, quants, (block * 16 + k) * W);
                first = first.add(v.lanewise(VectorOperators.LSHL, by8).lanewise(VectorOperators.ASHR, by8).mul(q[x + k]));
                second = second.add(v.lanewise(VectorOperators.ASHR, by8).mul(q[x + k + 16]));
            }
            float dx = d[t * blocks + b];
            FloatVector dLo = FloatVector.fromArray(F, scales, block * W).mul(dx);
            FloatVector dHi = FloatVector.fromArray(F, scales, block * W + HALF).mul(dx);
            FloatVector sumLo = ((FloatVector) first.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) second.convertShape(VectorOperators.S2F, F, 0));
            FloatVector sumHi = ((FloatVector) first.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) second.convertShape(VectorOperators.S2F, F, 1));
            lo = sumLo.fma(dLo, lo);
            hi = sumHi.fma(dHi, hi);
        }
        lo.intoArray(y, yOff);
        hi.intoArray(y, yOff + HALF);
        if (offsets != null) {
            addOffsets(s, quantized.blockSums(), t, y, yOff);
        }
    }

    /**
     * y[yOff .. yOff+W) += Σ C·blockSum over strip {@code s}'s blocks for token t, summed from 0 block after
     * block: the offsets' part of {@link #one} and of {@link #tile} (one method, so the same bits).
     */
    private void addOffsets(int s, float[] sums, int t, float[] y, int yOff) {
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int block = s * blocks + b;
            FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
            lo = FloatVector.fromArray(F, offsets, block * W).fma(v, lo);
            hi = FloatVector.fromArray(F, offsets, block * W + HALF).fma(v, hi);
        }
        FloatVector.fromArray(F, y, yOff).add(lo).intoArray(y, yOff);
        FloatVector.fromArray(F, y, yOff + HALF).add(hi).intoArray(y, yOff + HALF);
    }

    /**
     * Strips first and first+1 as 16-bit values in {@code w}: column c of both, side by side, at
     * c·STRIPS·W, so the tile loads its weights in order and without shifts.
     */
    @Override
    void unpack(int first, Workspace ws) {
        unpackBytePairs(quants, 16, first, unpacked(ws));
    }

    /**
     * Tokens t .. t+2 through strips first and first+1 (unpacked in {@link #unpacked}(ws)); token t+j's results go
     * to y[yOff + j·yStride ..]. Per block, twelve 16-bit sums: strip × token × half (columns k and k+16
     * in one step), 12 of the 32 AVX-512 registers with 4 columns and a broadcast. The float results
     * accumulate in y itself, with the operations of {@link #one}, the offsets last.
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        short[] w = unpacked(ws);
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        for (int b = 0; b < blocks; b++) {
            int x0 = t * cols + 32 * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            // aST: strip S, token T, columns 0-15; eST: columns 16-31.
            ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
            ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
            ShortVector e00 = ShortVector.zero(S), e01 = ShortVector.zero(S), e02 = ShortVector.zero(S);
            ShortVector e10 = ShortVector.zero(S), e11 = ShortVector.zero(S), e12 = ShortVector.zero(S);
            for (int k = 0; k < 16; k++) {
                int col = (32 * b + k) * STRIPS * W;
                int far = col + 16 * STRIPS * W;
                ShortVector v0 = ShortVector.fromArray(S, w, col);
                ShortVector v1 = ShortVector.fromArray(S, w, col + W);
                ShortVector u0 = ShortVector.fromArray(S, w, far);
                ShortVector u1 = ShortVector.fromArray(S, w, far + W);
                ShortVector x = ShortVector.broadcast(S, q[x0 + k]);
                a00 = a00.add(v0.mul(x));
                a10 = a10.add(v1.mul(x));
                x = ShortVector.broadcast(S, q[x0 + k + 16]);
                e00 = e00.add(u0.mul(x));
                e10 = e10.add(u1.mul(x));
                x = ShortVector.broadcast(S, q[x1 + k]);
                a01 = a01.add(v0.mul(x));
                a11 = a11.add(v1.mul(x));
                x = ShortVector.broadcast(S, q[x1 + k + 16]);
                e01 = e01.add(u0.mul(x));
                e11 = e11.add(u1.mul(x));
                x = ShortVector.broadcast(S, q[x2 + k]);
                a02 = a02.add(v0.mul(x));
                a12 = a12.add(v1.mul(x));
                x = ShortVector.broadcast(S, q[x2 + k + 16]);
                e02 = e02.add(u0.mul(x));
                e12 = e12.add(u1.mul(x));
            }
            // y = fma(float(a) + float(e), d_w·d_x, y) per strip half and token, as one() does (the float sum of
            // the two halves is their exact integer sum). Written out: a helper taking vectors would box them
            // wherever C2 declines to inline it.
            float d0 = d[t * blocks + b];
            float d1 = d[(t + 1) * blocks + b];
            float d2 = d[(t + 2) * blocks + b];
            int y0 = yOff;
            int y1 = yOff + yStride;
            int y2 = yOff + 2 * yStride;
            int block = first * blocks + b;
            FloatVector lo = FloatVector.fromArray(F, scales, block * W);
            FloatVector hi = FloatVector.fromArray(F, scales, block * W + HALF);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e00.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e00.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e01.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e01.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e02.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e02.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            lo = FloatVector.fromArray(F, scales, (block + blocks) * W);
            hi = FloatVector.fromArray(F, scales, (block + blocks) * W + HALF);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e10.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e10.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e11.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e11.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) e12.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 1)).add((FloatVector) e12.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
        }
        if (offsets != null) {
            float[] sums = quantized.blockSums();
            for (int i = 0; i < STRIPS; i++) {
                for (int j = 0; j < TOKENS; j++) {
                    addOffsets(first + i, sums, t + j, y, yOff + j * yStride + i * W);
                }
            }
        }
    }
}
