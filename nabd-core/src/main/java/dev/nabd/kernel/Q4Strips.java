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
 * A 4-bit matrix (Q4_0 or Q4_K) repacked into strips of W rows (W = the 16-bit lane count: 32 with
 * AVX-512, 16 with AVX2) for integer products with {@link Q8Activations}. Loaded only through
 * {@link PackedMatrix#of}.
 *
 * <p>Layout: Java arrays (int indices let C2 hoist the range checks that long offsets into a memory
 * segment keep in the loop), strip after strip, and in a strip block after block of 32 columns:
 * <pre>
 *   scales: W floats     A: the scale of each row's block (Q4_0: d; Q4_K: d·scale of the sub-block)
 *   quants: 8 × W shorts pair p: lane r = byte 2p | byte 2p+1 &lt;&lt; 8 of row r's 16 quant bytes, each XOR 0x88
 * </pre>
 * The 16 quant bytes of a block follow Q4_0: byte j holds column j in its low nibble and column j+16 in
 * its high one, q in [0, 15] meaning q − 8 (a Q4_K sub-block's 32 nibbles are rearranged so). XOR 8 on
 * each nibble turns q into the 4-bit two's complement of q − 8, so the four nibbles of a lane come out as
 * signed values with two shifts each (left to the top, arithmetic right): no subtraction and no mask.
 * Bits 0-3 hold column 2p, 4-7 column 2p+16, 8-11 column 2p+1, 12-15 column 2p+17.
 *
 * <p>Per block, |q − 8| ≤ 8 and |x| ≤ 127, so 32 products sum to at most 32·8·127 = 32512: the block's
 * integer sum fits the 16-bit lanes exactly. It is then scaled once per block in float,
 * {@code y = fma(sum, A·d_x, y)}, in block order.
 *
 * <p>Q4_K values are d·sc·q − dmin·m = A·(q − 8) + (8A − dmin·m): the second part, C per row and block,
 * meets the activations' block sums (d_x·Σq_x, {@link Q8Activations#blockSum}) in a second pass,
 * {@code y = fma(C, blockSum, y)} block after block, from a separate table of W floats per block. Q4_K
 * activations are Q8_K (one d_x per 256 values), as in llama.cpp.
 *
 * <p>Every output is computed with these operations in this order whether its token is multiplied alone
 * or three at a time, so results do not depend on the batch.
 */
final class Q4Strips extends Strips {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    private final int blocks;
    /** A: W floats per block, strip after strip. */
    private final float[] scales;
    /** The quant pairs: 8 × W shorts per block, strip after strip. */
    private final short[] quants;
    /** Q4_K: C, W floats per block, strip after strip; null for Q4_0. */
    private final float[] offsets;

    private Q4Strips(int rows, int cols, float[] scales, short[] quants, float[] offsets, ActivationFormat activations) {
        super(rows, cols, activations, STRIPS);
        this.blocks = cols / 32;
        this.scales = scales;
        this.quants = quants;
        this.offsets = offsets;
    }

    /**
     * The packed copy of a Q4_0 or Q4_K matrix, or null when it is too large for one array (over 8·2^30
     * values).
     */
    static PackedMatrix of(Tensor w) {
        if ((w.type() != GgmlType.Q4_0 && w.type() != GgmlType.Q4_K) || W < 8
                || (long) padded(w.rows()) * w.cols() / 4 > Integer.MAX_VALUE - 64) {
            return null;
        }
        boolean k = w.type() == GgmlType.Q4_K;
        int rows = w.rows();
        int blocks = w.cols() / 32;
        float[] scales = new float[padded(rows) * blocks];
        short[] pairs = new short[padded(rows) * blocks * 8];
        float[] offsets = k ? new float[padded(rows) * blocks] : null;
        byte[] quants = new byte[16];
        for (int r = 0; r < rows; r++) {
            long row = r * w.rowBytes();
            for (int b = 0; b < blocks; b++) {
                float a;
                if (k) {
                    // Super-block b/8, sub-block j: fp16 d and dmin, 12 bytes of 6-bit scales and mins, then
                    // 128 bytes where sub-blocks 2g and 2g+1 are the low and high nibbles of bytes 32g ..
                    long sb = row + 144L * (b / 8);
                    int j = b % 8;
                    float d = Float.float16ToFloat(w.data().get(U16, sb));
                    float dmin = Float.float16ToFloat(w.data().get(U16, sb + 2));
                    int w0 = w.data().get(U32, sb + 4);
                    int w1 = w.data().get(U32, sb + 8);
                    int w2 = w.data().get(U32, sb + 12);
                    a = d * PanamaRows.Q4_K.scale(w0, w2, j);
                    float c = 8 * a - dmin * PanamaRows.Q4_K.min(w1, w2, j);
                    offsets[((r / W) * blocks + b) * W + r % W] = c;
                    long q = sb + 16 + 32L * (j / 2);
                    int shift = 4 * (j % 2);
                    for (int i = 0; i < 16; i++) {
                        int lo = (w.data().get(ValueLayout.JAVA_BYTE, q + i) >> shift) & 0xF;
                        int hi = (w.data().get(ValueLayout.JAVA_BYTE, q + i + 16) >> shift) & 0xF;
                        quants[i] = (byte) (lo | hi << 4);
                    }
                } else {
                    long blk = row + 18L * b;
                    a = Float.float16ToFloat(w.data().get(U16, blk));
                    MemorySegment.copy(w.data(), ValueLayout.JAVA_BYTE, blk + 2, quants, 0, 16);
                }
                int blk = (r / W) * blocks + b;
                scales[blk * W + r % W] = a;
                for (int p = 0; p < 8; p++) {
                    int lo = (quants[2 * p] ^ 0x88) & 0xFF;
                    int hi = (quants[2 * p + 1] ^ 0x88) & 0xFF;
                    pairs[(blk * 8 + p) * W + r % W] = (short) (lo | hi << 8);
                }
            }
        }
        return new Q4Strips(rows, w.cols(), scales, pairs, offsets, k ? ActivationFormat.Q8_K : ActivationFormat.Q8_0);
    }

    /*
     * The kernels below compute the same per token: for each block an exact 16-bit integer sum, then
     * y = fma(sum, d_w·d_x, y). one() reads the packed nibbles (decode: each weight byte is used once);
     * tile() reads weights unpacked once per group into 16-bit values, and shares each loaded vector among
     * TOKENS tokens and each broadcast activation among STRIPS strips. Vectors stay in local variables of
     * one method: passed to a helper that C2 does not inline, they would be boxed on the heap.
     */

    /** Strips per group of the batch kernel. */
    private static final int STRIPS = 4;

    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        float[] sums = quantized.blockSums();
        // Shift counts as vectors (vpsllvw/vpsravw, one instruction each): with a scalar count C2 moves the
        // count into a vector register before every shift, and this loop is made of shifts (1.5x faster).
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int blk = s * blocks + b;
            int x = t * cols + 32 * b;
            ShortVector acc = ShortVector.zero(S);
            for (int p = 0; p < 8; p++) {
                ShortVector v = ShortVector.fromArray(S, quants, (blk * 8 + p) * W);
                int c = x + 2 * p;
                acc = acc.add(v.lanewise(VectorOperators.LSHL, by12).lanewise(VectorOperators.ASHR, by12).mul(q[c]));
                acc = acc.add(v.lanewise(VectorOperators.LSHL, by8).lanewise(VectorOperators.ASHR, by12).mul(q[c + 16]));
                acc = acc.add(v.lanewise(VectorOperators.LSHL, by4).lanewise(VectorOperators.ASHR, by12).mul(q[c + 1]));
                acc = acc.add(v.lanewise(VectorOperators.ASHR, by12).mul(q[c + 17]));
            }
            float dx = d[t * blocks + b];
            FloatVector s0 = FloatVector.fromArray(F, scales, blk * W).mul(dx);
            FloatVector s1 = FloatVector.fromArray(F, scales, blk * W + HALF).mul(dx);
            lo = ((FloatVector) acc.convertShape(VectorOperators.S2F, F, 0)).fma(s0, lo);
            hi = ((FloatVector) acc.convertShape(VectorOperators.S2F, F, 1)).fma(s1, hi);
        }
        if (offsets != null) {
            int c = s * blocks * W;
            for (int b = 0; b < blocks; b++) {
                FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
                lo = FloatVector.fromArray(F, offsets, c + W * b).fma(v, lo);
                hi = FloatVector.fromArray(F, offsets, c + W * b + HALF).fma(v, hi);
            }
        }
        lo.intoArray(y, yOff);
        hi.intoArray(y, yOff + HALF);
    }

    /**
     * Strips first .. first+STRIPS as 16-bit values in {@code w}: per block, per column k, the STRIPS
     * strips' W rows side by side, so the tile loads its weights in order.
     */
    @Override
    void unpack(int first, short[] w) {
        int stride = STRIPS * W;   // shorts per column of a block
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // vector shift counts, as in one()
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        for (int i = 0; i < STRIPS; i++) {
            for (int b = 0; b < blocks; b++) {
                int blk = (first + i) * blocks + b;
                int out = b * 32 * stride + i * W;
                for (int p = 0; p < 8; p++) {
                    ShortVector v = ShortVector.fromArray(S, quants, (blk * 8 + p) * W);
                    int c = 2 * p;
                    v.lanewise(VectorOperators.LSHL, by12).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + c * stride);
                    v.lanewise(VectorOperators.LSHL, by8).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + (c + 16) * stride);
                    v.lanewise(VectorOperators.LSHL, by4).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + (c + 1) * stride);
                    v.lanewise(VectorOperators.ASHR, by12).intoArray(w, out + (c + 17) * stride);
                }
            }
        }
    }

    @Override
    void tile(int first, short[] w, Q8Activations x, int t, float[] y, int yOff, int yStride) {
        integerTile(first, w, x.wideQuants(), x.scales(), t, y, yOff, yStride);
        if (offsets != null) {
            addOffsets(first, x.blockSums(), t, y, yOff, yStride);
        }
    }

    /**
     * The integer part of {@link #tile}. The twelve integer sums of a block stay in registers; the float
     * results are accumulated in y itself, which leaves registers for four strips' weights.
     */
    private void integerTile(int first, short[] w, short[] q, float[] d, int t, float[] y, int yOff, int yStride) {
        int stride = STRIPS * W;
        for (int b = 0; b < blocks; b++) {
            int x0 = t * cols + 32 * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
            ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
            ShortVector a20 = ShortVector.zero(S), a21 = ShortVector.zero(S), a22 = ShortVector.zero(S);
            ShortVector a30 = ShortVector.zero(S), a31 = ShortVector.zero(S), a32 = ShortVector.zero(S);
            int wb = b * 32 * stride;
            for (int k = 0; k < 32; k++) {
                ShortVector v0 = ShortVector.fromArray(S, w, wb + k * stride);
                ShortVector v1 = ShortVector.fromArray(S, w, wb + k * stride + W);
                ShortVector v2 = ShortVector.fromArray(S, w, wb + k * stride + 2 * W);
                ShortVector v3 = ShortVector.fromArray(S, w, wb + k * stride + 3 * W);
                ShortVector x = ShortVector.broadcast(S, q[x0 + k]);
                a00 = a00.add(v0.mul(x));
                a10 = a10.add(v1.mul(x));
                a20 = a20.add(v2.mul(x));
                a30 = a30.add(v3.mul(x));
                x = ShortVector.broadcast(S, q[x1 + k]);
                a01 = a01.add(v0.mul(x));
                a11 = a11.add(v1.mul(x));
                a21 = a21.add(v2.mul(x));
                a31 = a31.add(v3.mul(x));
                x = ShortVector.broadcast(S, q[x2 + k]);
                a02 = a02.add(v0.mul(x));
                a12 = a12.add(v1.mul(x));
                a22 = a22.add(v2.mul(x));
                a32 = a32.add(v3.mul(x));
            }
            float d0 = d[t * blocks + b];
            float d1 = d[(t + 1) * blocks + b];
            float d2 = d[(t + 2) * blocks + b];
            int y0 = yOff;
            int y1 = yOff + yStride;
            int y2 = yOff + 2 * yStride;
            // Strip i: its block scales, then each token's two halves y = fma(sum, d_w·d_x, y). Written out:
            // a helper taking vectors would box them wherever C2 declines to inline it.
            int blk = (first * blocks + b) * W;
            FloatVector lo = FloatVector.fromArray(F, scales, blk);
            FloatVector hi = FloatVector.fromArray(F, scales, blk + HALF);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            blk += blocks * W;
            lo = FloatVector.fromArray(F, scales, blk);
            hi = FloatVector.fromArray(F, scales, blk + HALF);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
            blk += blocks * W;
            lo = FloatVector.fromArray(F, scales, blk);
            hi = FloatVector.fromArray(F, scales, blk + HALF);
            ((FloatVector) a20.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + 2 * W)).intoArray(y, y0 + 2 * W);
            ((FloatVector) a20.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + 2 * W + HALF)).intoArray(y, y0 + 2 * W + HALF);
            ((FloatVector) a21.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + 2 * W)).intoArray(y, y1 + 2 * W);
            ((FloatVector) a21.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + 2 * W + HALF)).intoArray(y, y1 + 2 * W + HALF);
            ((FloatVector) a22.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + 2 * W)).intoArray(y, y2 + 2 * W);
            ((FloatVector) a22.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + 2 * W + HALF)).intoArray(y, y2 + 2 * W + HALF);
            blk += blocks * W;
            lo = FloatVector.fromArray(F, scales, blk);
            hi = FloatVector.fromArray(F, scales, blk + HALF);
            ((FloatVector) a30.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + 3 * W)).intoArray(y, y0 + 3 * W);
            ((FloatVector) a30.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + 3 * W + HALF)).intoArray(y, y0 + 3 * W + HALF);
            ((FloatVector) a31.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + 3 * W)).intoArray(y, y1 + 3 * W);
            ((FloatVector) a31.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + 3 * W + HALF)).intoArray(y, y1 + 3 * W + HALF);
            ((FloatVector) a32.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + 3 * W)).intoArray(y, y2 + 3 * W);
            ((FloatVector) a32.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + 3 * W + HALF)).intoArray(y, y2 + 3 * W + HALF);
        }
    }

    /**
     * The Q4_K offsets of the tile's outputs, after every block's integer part, as one() adds them. A
     * method of its own: inside integerTile() it made C2 allocate the tile's registers worse (Q4_K batches ran at
     * two thirds of Q4_0's speed). Strip by strip, its six sums stay in registers over all blocks (blocks
     * ascending, as in one()): reading and writing y at every block made this pass a fifth of Q4_K's batch
     * time, bound by the stores.
     */
    private void addOffsets(int first, float[] sums, int t, float[] y, int yOff, int yStride) {
        for (int i = 0; i < STRIPS; i++) {
            int o0 = yOff + i * W;
            int o1 = o0 + yStride;
            int o2 = o1 + yStride;
            FloatVector lo0 = FloatVector.fromArray(F, y, o0), hi0 = FloatVector.fromArray(F, y, o0 + HALF);
            FloatVector lo1 = FloatVector.fromArray(F, y, o1), hi1 = FloatVector.fromArray(F, y, o1 + HALF);
            FloatVector lo2 = FloatVector.fromArray(F, y, o2), hi2 = FloatVector.fromArray(F, y, o2 + HALF);
            int c = (first + i) * blocks * W;
            for (int b = 0; b < blocks; b++) {
                FloatVector lo = FloatVector.fromArray(F, offsets, c + W * b);
                FloatVector hi = FloatVector.fromArray(F, offsets, c + W * b + HALF);
                FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
                lo0 = lo.fma(v, lo0);
                hi0 = hi.fma(v, hi0);
                v = FloatVector.broadcast(F, sums[(t + 1) * blocks + b]);
                lo1 = lo.fma(v, lo1);
                hi1 = hi.fma(v, hi1);
                v = FloatVector.broadcast(F, sums[(t + 2) * blocks + b]);
                lo2 = lo.fma(v, lo2);
                hi2 = hi.fma(v, hi2);
            }
            lo0.intoArray(y, o0);
            hi0.intoArray(y, o0 + HALF);
            lo1.intoArray(y, o1);
            hi1.intoArray(y, o1 + HALF);
            lo2.intoArray(y, o2);
            hi2.intoArray(y, o2 + HALF);
        }
    }
}
