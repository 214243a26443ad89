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
 * A Q5_0 matrix repacked into strips of W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with
 * AVX2) for integer products with Q8_0 {@link Q8Activations}, as llama.cpp multiplies them. Loaded only
 * through {@link PackedMatrix#of}.
 *
 * <p>Layout: Java arrays, strip after strip, and in a strip block after block of 32 columns:
 * <pre>
 *   scales: W floats          d of each row's block
 *   quants: 16 × W shorts     pair k: lane r = row r's q − 16 of column k in the low byte and of column
 *                             k+16 in the high byte, each in [−16, 15]
 * </pre>
 * A byte per 5-bit value (45% more than the file's 5.5 bits) turns the file's nibble and fifth-bit planes
 * into three shifts per pair.
 *
 * <p>Arithmetic, per row and block, as ggml's {@code vec_dot_q5_0_q8_0}: the integer
 * {@code Σ (q − 16)·x}, then {@code y = fma(sum, d_w·d_x, y)} block after block. The 16-bit lanes hold the
 * block's sum in two halves of sixteen columns (16·16·127 = 32512 fits; 32 would not); both halves
 * become floats and their exact float sum is the integer one.
 *
 * <p>A batch of three tokens or more unpacks two strips at a time to 16-bit values and runs them by three
 * tokens at a time ({@link #tile}) with the same operations per output as a token alone ({@link #one}):
 * a token's result is the same bits alone or batched.
 */
final class Q5Strips extends Strips {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int blocks;
    /** d, W floats per block, strip after strip. */
    private final float[] scales;
    /** The quants in pairs: 16 × W shorts per block, strip after strip. */
    private final short[] quants;

    private Q5Strips(int rows, int cols, float[] scales, short[] quants) {
        super(rows, cols, ActivationFormat.Q8_0, STRIPS, W);
        this.blocks = cols / 32;
        this.scales = scales;
        this.quants = quants;
    }

    /** The packed copy of a Q5_0 matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        if (w.type() != GgmlType.Q5_0 || W < 8 || (long) padded(w.rows(), W) * w.cols() / 2 > Integer.MAX_VALUE - 64) {
            return null;
        }
        int rows = w.rows();
        int blocks = w.cols() / 32;
        float[] scales = new float[padded(rows, W) * blocks];
        short[] pairs = new short[padded(rows, W) * blocks * 16];
        MemorySegment in = w.data();
        for (int r = 0; r < rows; r++) {
            int lane = r % W;
            for (int b = 0; b < blocks; b++) {
                // The file's block: fp16 d, u32 of fifth bits (bit j: value j), 16 bytes whose low nibbles are
                // values 0..15 and high nibbles values 16..31.
                long src = r * w.rowBytes() + 22L * b;
                int block = (r / W) * blocks + b;
                scales[block * W + lane] = Float.float16ToFloat(in.get(U16, src));
                int fifth = in.get(U32, src + 2);
                for (int k = 0; k < 16; k++) {
                    int nibbles = in.get(ValueLayout.JAVA_BYTE, src + 6 + k) & 0xFF;
                    int low = (nibbles & 0xF | (fifth >>> k & 1) << 4) - 16;
                    int high = (nibbles >> 4 | (fifth >>> (k + 16) & 1) << 4) - 16;
                    pairs[(block * 16 + k) * W + lane] = (short) (low & 0xFF | high << 8);
                }
            }
        }
        return new Q5Strips(rows, w.cols(), scales, pairs);
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
     * accumulate in y itself, with the operations of {@link #one}.
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
    }
}
