package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A Q4_0 matrix repacked into strips of W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with
 * AVX2) for integer products with {@link Q8Activations}. Loaded only through {@link PackedMatrix#of}.
 *
 * <p>Layout, strip after strip, and in a strip block after block (20·W bytes per block of 32 columns):
 * <pre>
 *   W floats      d of each row's block (Q4_0 stores it as fp16; widened once here)
 *   8 × W shorts  pair p: lane r = byte 2p | byte 2p+1 &lt;&lt; 8 of row r's 16 quant bytes, each XOR 0x88
 * </pre>
 * A Q4_0 quant byte j holds column j in its low nibble and column j+16 in its high one, q in [0, 15]
 * meaning q − 8. XOR 8 on each nibble turns q into the 4-bit two's complement of q − 8, so the four
 * nibbles of a lane come out as signed values with two shifts each (left to the top, arithmetic right):
 * no subtraction and no mask. Bits 0-3 hold column 2p, 4-7 column 2p+16, 8-11 column 2p+1, 12-15
 * column 2p+17.
 *
 * <p>Per block, |q − 8| ≤ 8 and |x| ≤ 127, so 32 products sum to at most 32·8·127 = 32512: the block's
 * integer sum fits the 16-bit lanes exactly. It is then scaled once per block in float,
 * {@code y = fma(sum, d_w·d_x, y)}, in block order, the same operations for every token whether it is
 * multiplied alone or four at a time.
 */
final class Q4Strips implements PackedMatrix {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    /** Rows per strip: one row per 16-bit lane. */
    private static final int W = S.length();
    private static final int HALF = W / 2;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final int BLOCK_BYTES = 20 * W;
    private static final int QUANTS = 4 * W;   // offset of the quant pairs in a block

    private final int rows;
    private final int cols;
    private final int blocks;
    private final MemorySegment data;

    private Q4Strips(int rows, int cols, MemorySegment data) {
        this.rows = rows;
        this.cols = cols;
        this.blocks = cols / 32;
        this.data = data;
    }

    /** The packed copy of a Q4_0 matrix, or null when its rows are not whole strips. */
    static PackedMatrix of(Tensor w) {
        if (w.type() != GgmlType.Q4_0 || w.rows() % W != 0 || W < 8) {
            return null;
        }
        int rows = w.rows();
        int cols = w.cols();
        int blocks = cols / 32;
        MemorySegment out = Arena.ofAuto().allocate((long) rows / W * blocks * BLOCK_BYTES, 64);
        MemorySegment in = w.data();
        long rowBytes = w.rowBytes();
        byte[] src = new byte[18];
        for (int s = 0; s < rows / W; s++) {
            for (int b = 0; b < blocks; b++) {
                long blk = ((long) s * blocks + b) * BLOCK_BYTES;
                for (int r = 0; r < W; r++) {
                    MemorySegment.copy(in, ValueLayout.JAVA_BYTE, (long) (s * W + r) * rowBytes + 18L * b, src, 0, 18);
                    float d = Float.float16ToFloat((short) ((src[0] & 0xFF) | (src[1] & 0xFF) << 8));
                    out.set(F32, blk + 4L * r, d);
                    for (int p = 0; p < 8; p++) {
                        int lo = (src[2 + 2 * p] ^ 0x88) & 0xFF;
                        int hi = (src[3 + 2 * p] ^ 0x88) & 0xFF;
                        out.set(U16, blk + QUANTS + 2L * W * p + 2L * r, (short) (lo | hi << 8));
                    }
                }
            }
        }
        return new Q4Strips(rows, cols, out);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int strip() {
        return W;
    }

    @Override
    public void multiply(Q8Activations x, float[] y, int yStride, int stripFrom, int stripTo, Workspace ws) {
        if (x.cols() != cols) {
            throw new IllegalArgumentException("activations of " + x.cols() + " values for rows of " + cols);
        }
        byte[] q = x.quants();
        float[] d = x.scales();
        int tokens = x.rows();
        if (tokens < TOKENS || stripTo - stripFrom < STRIPS) {
            for (int s = stripFrom; s < stripTo; s++) {
                for (int t = 0; t < tokens; t++) {
                    one(s, q, d, t, y, t * yStride + s * W);
                }
            }
            return;
        }
        short[] w = ws.shorts(blocks * 32 * STRIPS * W);
        // Groups of STRIPS strips; a range that is not a whole number of groups ends with a group that
        // overlaps the one before it: its strips are computed twice, to the same bits, by this thread.
        for (int g = stripFrom; g < stripTo; g += STRIPS) {
            int first = Math.min(g, stripTo - STRIPS);
            unpack(first, w);
            // Likewise the last TOKENS tokens overlap the tile before them when the batch is not a whole
            // number of tiles (tokens ≥ TOKENS here).
            for (int t = 0; t < tokens; t += TOKENS) {
                int from = Math.min(t, tokens - TOKENS);
                tile(first, w, q, d, from, y, from * yStride + first * W, yStride);
            }
        }
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
    /** Tokens per pass of the batch kernel. */
    private static final int TOKENS = 3;

    /** One token through strip {@code s}: y[yOff .. yOff+W). */
    private void one(int s, byte[] q, float[] d, int t, float[] y, int yOff) {
        long strip = (long) s * blocks * BLOCK_BYTES;
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long blk = strip + (long) b * BLOCK_BYTES;
            int x = t * cols + 32 * b;
            ShortVector acc = ShortVector.zero(S);
            for (int p = 0; p < 8; p++) {
                ShortVector v = ShortVector.fromMemorySegment(S, data, blk + QUANTS + 2L * W * p, LE);
                int c = x + 2 * p;
                acc = acc.add(v.lanewise(VectorOperators.LSHL, 12).lanewise(VectorOperators.ASHR, 12).mul(q[c]));
                acc = acc.add(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 12).mul(q[c + 16]));
                acc = acc.add(v.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 12).mul(q[c + 1]));
                acc = acc.add(v.lanewise(VectorOperators.ASHR, 12).mul(q[c + 17]));
            }
            float dx = d[t * blocks + b];
            FloatVector s0 = FloatVector.fromMemorySegment(F, data, blk, LE).mul(dx);
            FloatVector s1 = FloatVector.fromMemorySegment(F, data, blk + 4L * HALF, LE).mul(dx);
            lo = ((FloatVector) acc.convertShape(VectorOperators.S2F, F, 0)).fma(s0, lo);
            hi = ((FloatVector) acc.convertShape(VectorOperators.S2F, F, 1)).fma(s1, hi);
        }
        lo.intoArray(y, yOff);
        hi.intoArray(y, yOff + HALF);
    }

    /**
     * Strips first .. first+STRIPS as 16-bit values in {@code w}: per block, per column k, the STRIPS
     * strips' W rows side by side, so the tile loads its weights in order.
     */
    private void unpack(int first, short[] w) {
        int stride = STRIPS * W;   // shorts per column of a block
        for (int i = 0; i < STRIPS; i++) {
            long strip = (long) (first + i) * blocks * BLOCK_BYTES;
            for (int b = 0; b < blocks; b++) {
                long blk = strip + (long) b * BLOCK_BYTES;
                int out = b * 32 * stride + i * W;
                for (int p = 0; p < 8; p++) {
                    ShortVector v = ShortVector.fromMemorySegment(S, data, blk + QUANTS + 2L * W * p, LE);
                    int c = 2 * p;
                    v.lanewise(VectorOperators.LSHL, 12).lanewise(VectorOperators.ASHR, 12).intoArray(w, out + c * stride);
                    v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 12).intoArray(w, out + (c + 16) * stride);
                    v.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 12).intoArray(w, out + (c + 1) * stride);
                    v.lanewise(VectorOperators.ASHR, 12).intoArray(w, out + (c + 17) * stride);
                }
            }
        }
    }

    /**
     * Tokens t .. t+2 through the unpacked strips in {@code w} (first strip {@code first}); token t+j's
     * results go to y[yOff + j·yStride ..]. The twelve integer sums of a block stay in registers; the
     * float results are accumulated in y itself, which leaves registers for four strips' weights.
     */
    private void tile(int first, short[] w, byte[] q, float[] d, int t, float[] y, int yOff, int yStride) {
        int stride = STRIPS * W;
        for (int j = 0; j < TOKENS; j++) {
            java.util.Arrays.fill(y, yOff + j * yStride, yOff + j * yStride + stride, 0f);
        }
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
            long blk = (long) first * blocks * BLOCK_BYTES + (long) b * BLOCK_BYTES;
            FloatVector lo = FloatVector.fromMemorySegment(F, data, blk, LE);
            FloatVector hi = FloatVector.fromMemorySegment(F, data, blk + 4L * HALF, LE);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) a00.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) a01.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) a02.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            blk += (long) blocks * BLOCK_BYTES;
            lo = FloatVector.fromMemorySegment(F, data, blk, LE);
            hi = FloatVector.fromMemorySegment(F, data, blk + 4L * HALF, LE);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            ((FloatVector) a10.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            ((FloatVector) a11.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            ((FloatVector) a12.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
            blk += (long) blocks * BLOCK_BYTES;
            lo = FloatVector.fromMemorySegment(F, data, blk, LE);
            hi = FloatVector.fromMemorySegment(F, data, blk + 4L * HALF, LE);
            ((FloatVector) a20.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + 2 * W)).intoArray(y, y0 + 2 * W);
            ((FloatVector) a20.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + 2 * W + HALF)).intoArray(y, y0 + 2 * W + HALF);
            ((FloatVector) a21.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + 2 * W)).intoArray(y, y1 + 2 * W);
            ((FloatVector) a21.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + 2 * W + HALF)).intoArray(y, y1 + 2 * W + HALF);
            ((FloatVector) a22.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + 2 * W)).intoArray(y, y2 + 2 * W);
            ((FloatVector) a22.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + 2 * W + HALF)).intoArray(y, y2 + 2 * W + HALF);
            blk += (long) blocks * BLOCK_BYTES;
            lo = FloatVector.fromMemorySegment(F, data, blk, LE);
            hi = FloatVector.fromMemorySegment(F, data, blk + 4L * HALF, LE);
            ((FloatVector) a30.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + 3 * W)).intoArray(y, y0 + 3 * W);
            ((FloatVector) a30.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + 3 * W + HALF)).intoArray(y, y0 + 3 * W + HALF);
            ((FloatVector) a31.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + 3 * W)).intoArray(y, y1 + 3 * W);
            ((FloatVector) a31.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + 3 * W + HALF)).intoArray(y, y1 + 3 * W + HALF);
            ((FloatVector) a32.convertShape(VectorOperators.S2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + 3 * W)).intoArray(y, y2 + 3 * W);
            ((FloatVector) a32.convertShape(VectorOperators.S2F, F, 1)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + 3 * W + HALF)).intoArray(y, y2 + 3 * W + HALF);
        }
    }
}
