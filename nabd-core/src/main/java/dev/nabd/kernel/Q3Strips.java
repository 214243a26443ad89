package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A Q3_K or Q2_K matrix repacked into strips of 2W rows (W = the 16-bit lane count: 32 with AVX-512, 16
 * with AVX2), its 3- or 2-bit values as nibbles two rows to a 16-bit lane as {@link Q4Strips} packs Q4_0,
 * for integer products with Q8_K {@link Q8Activations}, as llama.cpp multiplies them. Loaded only through
 * {@link PackedMatrix#of}.
 *
 * <p>Layout: one Java array of bytes, strip after strip, in the order the decode kernel reads it:
 * <pre>
 *   per super-block of 256 columns:
 *     d:    2W floats               the super-block's d of each row (little-endian)
 *     dmin: 2W floats               Q2_K: its dmin
 *     16 blocks of 16 columns, each:
 *       quants: 8 × W shorts        pair j: lane l = the nibbles n of rows l and W+l in columns j and j+8
 *                                   (bits 0-3 row l column j, 4-7 row W+l column j, 8-11 row l column j+8,
 *                                   12-15 row W+l column j+8): Q3_K n = q + 4 in [0, 7], Q2_K n = q in [0, 3]
 *       scales: 2W bytes            each row's scale of the block: Q3_K sc − 32 (signed), Q2_K sc in [0, 15]
 *       mins:   2W bytes            Q2_K: each row's min m of the block, in [0, 15]
 * </pre>
 * 148 bytes per row and 256 columns against the file's 110 (Q3_K), 168 against 84 (Q2_K). The file's
 * sub-block of 16 values with its own scale is a block here, and its nibbles pair columns j and j+8 rather
 * than Q4_0's j and j+16, so that one pair of sums serves one scale: per pair j, as in Q4Strips,
 * P += (v &amp; 0xFF)·x_j + (v &gt;&gt;&gt; 8)·x_j+8 and Q += (v &gt;&gt;&gt; 4 &amp; 0xF)·x_j + (v &gt;&gt;&gt; 12)·x_j+8
 * modulo 2^16; with b the bias (4 for Q3_K, 0 for Q2_K), the high row's Σ (n − b)·x is then Q − bΣx and
 * the low row's P − 16Q − bΣx, exact: at most 16·4·127 = 8128 in magnitude (Q2_K 16·3·127 = 6096),
 * however far the unsigned sums wrapped.
 *
 * <p>Arithmetic, per row: block after block, {@code y = fma(sum, d·sc·d_x, y)}, where ggml's
 * {@code vec_dot_q3_K_q8_K} sums sc·sum in integers over the super-block and scales once: the same value
 * up to float rounding, as {@link Q4Strips} rounds Q4_K per block. Q2_K's minimums, −dmin·m·d_x·Σq per
 * block, are summed apart over the whole row and taken off y at the end (as ggml keeps them apart).
 *
 * <p>No batch kernel of its own: a batch runs {@link #one} token after token over each strip, which then
 * sits in the cache after the first. So a token's result is the same bits alone or batched.
 */
final class Q3Strips extends Strips {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    /** Rows per strip: two in each 16-bit lane. */
    private static final int HEIGHT = 2 * W;

    private final int supers;
    private final byte[] data;
    /** Q2_K, whose values have minimums and no bias; else Q3_K. */
    private final boolean two;
    /** Where a super-block's first block starts, in shorts: after d (and dmin). */
    private final int lead;
    /** Shorts per block: 8 pairs of W shorts, then 2W bytes of scales (and of mins). */
    private final int blockShorts;
    /** Shorts per super-block. */
    private final int superShorts;
    /** What the block sums take off per unit of Σx: b of the class comment. */
    private final int bias;

    private Q3Strips(int rows, int cols, byte[] data, boolean two) {
        super(rows, cols, ActivationFormat.Q8_K, 1, HEIGHT);
        this.supers = cols / 256;
        this.data = data;
        this.two = two;
        this.lead = lead(two);
        this.blockShorts = blockShorts(two);
        this.superShorts = lead + 16 * blockShorts;
        this.bias = two ? 0 : 4;
    }

    private static int lead(boolean two) {
        return two ? 8 * W : 4 * W;
    }

    private static int blockShorts(boolean two) {
        return two ? 10 * W : 9 * W;
    }

    /** The packed copy of a Q3_K or Q2_K matrix, or null when it is too large for one byte array. */
    static PackedMatrix of(Tensor w) {
        boolean two = w.type() == GgmlType.Q2_K;
        if ((w.type() != GgmlType.Q3_K && !two) || W < 8) {
            return null;
        }
        int rows = w.rows();
        int supers = w.cols() / 256;
        int lead = lead(two);
        int blockShorts = blockShorts(two);
        long size = (long) padded(rows, HEIGHT) / HEIGHT * supers * (lead + 16 * blockShorts);
        if (size > Integer.MAX_VALUE / 2 - 64) {
            return null;
        }
        byte[] data = new byte[2 * (int) size + BYTES_PAST];
        MemorySegment in = w.data();
        int[] n = new int[16];
        for (int r = 0; r < rows; r++) {
            int inStrip = r % HEIGHT;
            int shift = 4 * (inStrip / W);   // rows W .. 2W take the second nibble of each byte
            int lane = r % W;
            for (int sb = 0; sb < supers; sb++) {
                int base = ((r / HEIGHT) * supers + sb) * (lead + 16 * blockShorts);
                long blk;
                long lows = 0;
                int highs = 0;
                if (two) {
                    // The file's super-block: 16 bytes of scale (low nibble) and min (high), qs[64], fp16 d, dmin.
                    blk = r * w.rowBytes() + 84L * sb;
                    putFloat(data, 2 * base + 4 * inStrip, Float.float16ToFloat(in.get(U16, blk + 80)));
                    putFloat(data, 2 * (base + 4 * W) + 4 * inStrip, Float.float16ToFloat(in.get(U16, blk + 82)));
                } else {
                    // The file's super-block: hmask[32], qs[64], 12 bytes of scales, fp16 d (PanamaRows.Q3_K).
                    blk = r * w.rowBytes() + 110L * sb;
                    putFloat(data, 2 * base + 4 * inStrip, Float.float16ToFloat(in.get(U16, blk + 108)));
                    lows = in.get(I64, blk + 96);
                    highs = in.get(U32, blk + 104);
                }
                for (int g = 0; g < 16; g++) {
                    int at = base + lead + g * blockShorts;
                    int pairShift = 2 * ((g % 8) / 2);   // sub-block g = 8h + 2k + t takes bit pair k
                    if (two) {
                        int sc = in.get(ValueLayout.JAVA_BYTE, blk + g) & 0xFF;
                        data[2 * (at + 8 * W) + inStrip] = (byte) (sc & 0xF);
                        data[2 * (at + 9 * W) + inStrip] = (byte) (sc >>> 4);
                        long qs = blk + 16 + 32L * (g / 8) + 16L * (g % 2);
                        for (int l = 0; l < 16; l++) {
                            n[l] = in.get(ValueLayout.JAVA_BYTE, qs + l) >> pairShift & 3;
                        }
                    } else {
                        data[2 * (at + 8 * W) + inStrip] = (byte) PanamaRows.Q3_K.scale(lows, highs, g);
                        long qs = blk + 32 + 32L * (g / 8) + 16L * (g % 2);
                        long hmask = blk + 16L * (g % 2);
                        for (int l = 0; l < 16; l++) {
                            int low = in.get(ValueLayout.JAVA_BYTE, qs + l) >> pairShift & 3;
                            int third = in.get(ValueLayout.JAVA_BYTE, hmask + l) >> 4 * (g / 8) + (g % 8) / 2 & 1;
                            n[l] = low | third << 2;   // q + 4
                        }
                    }
                    for (int j = 0; j < 8; j++) {
                        int pair = (n[j] | n[j + 8] << 8) << shift;   // a little-endian short
                        orShort(data, 2 * (at + j * W + lane), pair);
                    }
                }
            }
        }
        return new Q3Strips(rows, w.cols(), data, two);
    }

    /**
     * One token through strip {@code s}: y[yOff .. yOff+2W). The float sums live in y itself, one load,
     * fma and store per block and run of HALF rows (as Q4Strips' Q4_0 kernel keeps them), rows 0 .. HALF,
     * HALF .. W (the lanes' first row), W .. W+HALF, W+HALF .. 2W (their second). Vectors stay in local
     * variables of this one method: passed to a helper C2 does not inline, they would be boxed on the heap.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] octets = quantized.octetSums();
        float[] d = quantized.scales();
        // Shift counts as vectors: see Q4Strips.oneQ40.
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector lowByte = ShortVector.broadcast(S, (short) 0xFF);
        int y0 = yOff, y1 = yOff + HALF, y2 = yOff + W, y3 = yOff + W + HALF;
        FloatVector.zero(F).intoArray(y, y0);
        FloatVector.zero(F).intoArray(y, y1);
        FloatVector.zero(F).intoArray(y, y2);
        FloatVector.zero(F).intoArray(y, y3);
        for (int sb = 0; sb < supers; sb++) {
            int base = (s * supers + sb) * superShorts;
            FloatVector d0 = ByteVector.fromArray(B, data, 2 * base).reinterpretAsFloats();
            FloatVector d1 = ByteVector.fromArray(B, data, 2 * (base + W)).reinterpretAsFloats();
            FloatVector d2 = ByteVector.fromArray(B, data, 2 * (base + 2 * W)).reinterpretAsFloats();
            FloatVector d3 = ByteVector.fromArray(B, data, 2 * (base + 3 * W)).reinterpretAsFloats();
            float dx = d[t * (cols / Q8Activations.BLOCK) + 8 * sb];   // Q8_K: one d_x per 256
            for (int g = 0; g < 16; g++) {
                int at = base + lead + g * blockShorts;
                int x = t * cols + 256 * sb + 16 * g;
                ShortVector p = ShortVector.zero(S);
                ShortVector r = ShortVector.zero(S);
                for (int j = 0; j < 8; j++) {
                    ShortVector v = ByteVector.fromArray(B, data, 2 * (at + j * W)).reinterpretAsShorts();
                    short xa = q[x + j];
                    short xb = q[x + j + 8];
                    ShortVector low = v.and(lowByte);
                    p = p.add(low.mul(xa)).add(v.lanewise(VectorOperators.LSHR, by8).mul(xb));
                    r = r.add(low.lanewise(VectorOperators.LSHR, by4).mul(xa)).add(v.lanewise(VectorOperators.LSHR, by12).mul(xb));
                }
                // bΣx over the block's 16 columns: its two octet sums are 32Σx each (exact: a multiple of 32).
                ShortVector offset = ShortVector.broadcast(S, (short) ((octets[x / 8] + octets[x / 8 + 1]) * bias >> 5));
                ShortVector second = r.sub(offset);
                ShortVector first = p.sub(r.lanewise(VectorOperators.LSHL, by4)).sub(offset);
                // A = d·sc for the four runs of HALF rows, times d_x, as the block's scale.
                int sc = 2 * (at + 8 * W);
                FloatVector a0 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc).convertShape(VectorOperators.B2F, F, 0)).mul(d0);
                FloatVector a1 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d1);
                FloatVector a2 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W).convertShape(VectorOperators.B2F, F, 0)).mul(d2);
                FloatVector a3 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d3);
                ((FloatVector) first.convertShape(VectorOperators.S2F, F, 0)).fma(a0.mul(dx), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
                ((FloatVector) first.convertShape(VectorOperators.S2F, F, 1)).fma(a1.mul(dx), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
                ((FloatVector) second.convertShape(VectorOperators.S2F, F, 0)).fma(a2.mul(dx), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
                ((FloatVector) second.convertShape(VectorOperators.S2F, F, 1)).fma(a3.mul(dx), FloatVector.fromArray(F, y, y3)).intoArray(y, y3);
            }
        }
        if (two) {
            subtractMinimums(s, quantized, t, y, yOff);
        }
    }

    /**
     * Q2_K: y[yOff .. yOff+2W) −= Σ dmin·m·d_x·Σq over strip {@code s}'s blocks for token t, summed from 0
     * block after block in registers (four runs of HALF rows, as in {@link #one}).
     */
    private void subtractMinimums(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] octets = quantized.octetSums();
        float[] d = quantized.scales();
        FloatVector m0 = FloatVector.zero(F);
        FloatVector m1 = FloatVector.zero(F);
        FloatVector m2 = FloatVector.zero(F);
        FloatVector m3 = FloatVector.zero(F);
        for (int sb = 0; sb < supers; sb++) {
            int base = (s * supers + sb) * superShorts;
            FloatVector n0 = ByteVector.fromArray(B, data, 2 * (base + 4 * W)).reinterpretAsFloats();   // dmin
            FloatVector n1 = ByteVector.fromArray(B, data, 2 * (base + 5 * W)).reinterpretAsFloats();
            FloatVector n2 = ByteVector.fromArray(B, data, 2 * (base + 6 * W)).reinterpretAsFloats();
            FloatVector n3 = ByteVector.fromArray(B, data, 2 * (base + 7 * W)).reinterpretAsFloats();
            float dx = d[t * (cols / Q8Activations.BLOCK) + 8 * sb];
            for (int g = 0; g < 16; g++) {
                int x = t * cols + 256 * sb + 16 * g;
                FloatVector v = FloatVector.broadcast(F, dx * ((octets[x / 8] + octets[x / 8 + 1]) >> 5));   // d_x·Σq
                int m = 2 * (base + lead + g * blockShorts + 9 * W);
                m0 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, m).convertShape(VectorOperators.B2F, F, 0)).mul(n0).fma(v, m0);
                m1 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, m + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n1).fma(v, m1);
                m2 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, m + W).convertShape(VectorOperators.B2F, F, 0)).mul(n2).fma(v, m2);
                m3 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, m + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n3).fma(v, m3);
            }
        }
        FloatVector.fromArray(F, y, yOff).sub(m0).intoArray(y, yOff);
        FloatVector.fromArray(F, y, yOff + HALF).sub(m1).intoArray(y, yOff + HALF);
        FloatVector.fromArray(F, y, yOff + W).sub(m2).intoArray(y, yOff + W);
        FloatVector.fromArray(F, y, yOff + W + HALF).sub(m3).intoArray(y, yOff + W + HALF);
    }

    /** Nothing to unpack: {@link #tile} reads the packed strip as {@link #one} does. */
    @Override
    void unpack(int first, Workspace ws) {
    }

    /** Tokens t .. t+TOKENS through strip {@code first}, one after another with {@link #one}. */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        for (int j = 0; j < TOKENS; j++) {
            one(first, quantized, t + j, y, yOff + j * yStride);
        }
    }
}
