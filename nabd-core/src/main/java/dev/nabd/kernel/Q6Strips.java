package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A Q6_K matrix repacked into strips of W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with
 * AVX2) for integer products with Q8_K {@link Q8Activations}, as llama.cpp multiplies them. Loaded only
 * through {@link PackedMatrix#of}.
 *
 * <p>Layout: Java arrays (int indices let C2 hoist the range checks that long offsets into a memory
 * segment keep in the loop), strip after strip, and in a strip super-block after super-block of 256
 * columns:
 * <pre>
 *   d:      W floats          d of each row's super-block
 *   scales: 16 × W bytes      sub-block g: lane r = row r's signed 8-bit scale of columns 16g .. 16g+15
 *   quants: 128 × W shorts    pair 8g+k: lane r = row r's q − 32 of column 16g+k in the low byte and of
 *                             column 16g+k+8 in the high byte, each in [−32, 31]
 * </pre>
 * A byte per 6-bit value makes the copy 31% larger than the file's blocks (276 bytes per row and 256
 * columns against 210), but the values come out with
 * three shifts per pair (left 8 then arithmetic right 8; arithmetic right 8), where the planes need five
 * shifts and masks per value. (Bytes widened by load, one column per vector, ran at half the speed: the
 * widening is a lane-crossing instruction.)
 *
 * <p>Arithmetic, per row and super-block, as ggml's {@code vec_dot_q6_K_q8_K} states it: the integer
 * {@code Σ_g scale_g · Σ_{c in g} (q_c − 32)·x_c}, then {@code y = fma(sum, d_w·d_x, y)} super-block after
 * super-block. The 16-bit lanes hold a sub-block's sum in two halves of eight columns, the
 * low and the high bytes of its pairs (|8·32·127| = 32512 fits; sixteen would not), which are widened to 32 bits before they meet the scale
 * (the whole sum is at most 16·128·65024 &lt; 2^31).
 *
 * <p>A batch of three tokens or more unpacks two strips at a time to 16-bit values and runs them by three
 * tokens at a time ({@link #tile}), with the same integer sums and the same float operations per output
 * as a token alone ({@link #one}): a token's result is the same bits alone or batched.
 */
final class Q6Strips extends Strips {
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int SUPER = 256;
    /** Shorts per super-block of a strip: 128 pairs of columns. */
    private static final int SUPER_SHORTS = SUPER / 2 * W;

    private final int supers;
    /** The quants in pairs: 128 × W shorts per super-block, strip after strip. */
    private final short[] quants;
    /** The scales: 16 × W bytes per super-block, strip after strip. */
    private final byte[] scales;
    /** d, W floats per super-block, strip after strip. */
    private final float[] d;

    private Q6Strips(int rows, int cols, short[] quants, byte[] scales, float[] d) {
        super(rows, cols, ActivationFormat.Q8_K, STRIPS, W);
        this.supers = cols / SUPER;
        this.quants = quants;
        this.scales = scales;
        this.d = d;
    }

    /** The packed copy of a Q6_K matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        long size = (long) padded(w.rows()) / W * (w.cols() / SUPER) * SUPER_SHORTS;
        if (w.type() != GgmlType.Q6_K || W < 16 || size > Integer.MAX_VALUE - 64) {
            return null;
        }
        int rows = w.rows();
        int supers = w.cols() / SUPER;
        short[] pairs = new short[(int) size];
        byte[] scales = new byte[padded(rows) * supers * 16];
        float[] ds = new float[padded(rows) * supers];
        MemorySegment in = w.data();
        int[] q = new int[SUPER];   // one super-block's values, q − 32
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < supers; b++) {
                // The file's super-block: ql[128] low nibbles, qh[64] 2-bit high parts, int8 scales[16], fp16 d.
                // In half n, byte l of ql (and l+32) with byte l of qh give values 128n + l, +32, +64, +96.
                long src = r * w.rowBytes() + 210L * b;
                int block = (r / W) * supers + b;
                int lane = r % W;
                ds[block * W + lane] = Float.float16ToFloat(in.get(U16, src + 208));
                for (int g = 0; g < 16; g++) {
                    scales[(block * 16 + g) * W + lane] = in.get(ValueLayout.JAVA_BYTE, src + 192 + g);
                }
                for (int n = 0; n < 2; n++) {
                    long ql = src + 64L * n;
                    long qh = src + 128 + 32L * n;
                    for (int l = 0; l < 32; l++) {
                        int lo = in.get(ValueLayout.JAVA_BYTE, ql + l) & 0xFF;
                        int hi = in.get(ValueLayout.JAVA_BYTE, ql + l + 32) & 0xFF;
                        int h = in.get(ValueLayout.JAVA_BYTE, qh + l) & 0xFF;
                        int c = 128 * n + l;
                        q[c] = (lo & 0xF | (h & 3) << 4) - 32;
                        q[c + 32] = (hi & 0xF | (h >> 2 & 3) << 4) - 32;
                        q[c + 64] = (lo >> 4 | (h >> 4 & 3) << 4) - 32;
                        q[c + 96] = (hi >> 4 | (h >> 6 & 3) << 4) - 32;
                    }
                }
                for (int g = 0; g < 16; g++) {
                    for (int k = 0; k < 8; k++) {
                        int low = q[16 * g + k] & 0xFF;
                        int high = q[16 * g + k + 8] & 0xFF;
                        pairs[(block * 128 + 8 * g + k) * W + lane] = (short) (low | high << 8);
                    }
                }
            }
        }
        return new Q6Strips(rows, w.cols(), pairs, scales, ds);
    }

    /** Strips per group of the batch kernel. */
    private static final int STRIPS = 2;

    /**
     * One token through strip {@code s}: y[yOff .. yOff+W). Per sub-block, columns 0-7 and 8-15 sum in
     * two 16-bit accumulators; the pair is widened into the 32-bit super-block sum with the scales (lanes
     * 0 .. HALF in {@code lo} vectors, HALF .. W in {@code hi} ones). Vectors stay in local variables of
     * this one method: passed to a helper C2 does not inline, they would be boxed on the heap.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);   // a vector shift count: see Q4Strips.one
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < supers; b++) {
            int block = s * supers + b;
            int x = t * cols + SUPER * b;
            IntVector sumLo = IntVector.zero(I);
            IntVector sumHi = IntVector.zero(I);
            for (int g = 0; g < 16; g++) {
                int pair = (block * 128 + 8 * g) * W;
                int c = x + 16 * g;
                ShortVector first = ShortVector.zero(S);
                ShortVector second = ShortVector.zero(S);
                for (int k = 0; k < 8; k++) {
                    ShortVector v = ShortVector.fromArray(S, quants, pair + W * k);
                    first = first.add(v.lanewise(VectorOperators.LSHL, by8).lanewise(VectorOperators.ASHR, by8).mul(q[c + k]));
                    second = second.add(v.lanewise(VectorOperators.ASHR, by8).mul(q[c + k + 8]));
                }
                int sc = (block * 16 + g) * W;
                IntVector scLo = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc).convertShape(VectorOperators.B2I, I, 0);
                IntVector scHi = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc + HALF).convertShape(VectorOperators.B2I, I, 0);
                IntVector pairLo = ((IntVector) first.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) second.convertShape(VectorOperators.S2I, I, 0));
                IntVector pairHi = ((IntVector) first.convertShape(VectorOperators.S2I, I, 1)).add((IntVector) second.convertShape(VectorOperators.S2I, I, 1));
                sumLo = pairLo.mul(scLo).add(sumLo);
                sumHi = pairHi.mul(scHi).add(sumHi);
            }
            float dx = d[t * (cols / Q8Activations.BLOCK) + 8 * b];
            FloatVector dLo = FloatVector.fromArray(F, this.d, block * W).mul(dx);
            FloatVector dHi = FloatVector.fromArray(F, this.d, block * W + HALF).mul(dx);
            lo = ((FloatVector) sumLo.convertShape(VectorOperators.I2F, F, 0)).fma(dLo, lo);
            hi = ((FloatVector) sumHi.convertShape(VectorOperators.I2F, F, 0)).fma(dHi, hi);
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
        unpackBytePairs(quants, 8, first, unpacked(ws));
    }

    /**
     * Tokens t .. t+2 through strips first and first+1 (unpacked in {@link #unpacked}(ws)); token t+j's results go
     * to y[yOff + j·yStride ..]. Each column loaded serves three tokens and each activation broadcast
     * two strips. The six 16-bit sums cover eight columns (half a sub-block), then meet the scale in 32
     * bits: sc·(a + b) = sc·a + sc·b in
     * exact integers, so the super-block sums are those of {@link #one}, and so are the results. 6 short,
     * 12 int and 4 scale vectors, 2 columns and a broadcast: 25 of the 32 AVX-512 registers (C2 still
     * spills a few int sums; measured 25-30 Gweights/s at 16 tokens, on par with the float tile it
     * replaces, against 38-50 for Q4 strips). The float results accumulate in y itself, once per super-block.
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        short[] w = unpacked(ws);
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        int nextScales = supers * 16 * W;   // from a strip's scales to the next strip's
        int blocks = cols / Q8Activations.BLOCK;
        for (int b = 0; b < supers; b++) {
            int block = first * supers + b;
            int x0 = t * cols + SUPER * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            // sStT: strip S, token T, lanes 0 .. HALF (L) or HALF .. W (H).
            IntVector s0t0L = IntVector.zero(I), s0t0H = IntVector.zero(I), s0t1L = IntVector.zero(I);
            IntVector s0t1H = IntVector.zero(I), s0t2L = IntVector.zero(I), s0t2H = IntVector.zero(I);
            IntVector s1t0L = IntVector.zero(I), s1t0H = IntVector.zero(I), s1t1L = IntVector.zero(I);
            IntVector s1t1H = IntVector.zero(I), s1t2L = IntVector.zero(I), s1t2H = IntVector.zero(I);
            for (int g = 0; g < 16; g++) {
                int sc = (block * 16 + g) * W;
                IntVector sc0L = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc).convertShape(VectorOperators.B2I, I, 0);
                IntVector sc0H = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc + HALF).convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1L = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc + nextScales).convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1H = (IntVector) ByteVector.fromArray(HALF_BYTES, scales, sc + nextScales + HALF).convertShape(VectorOperators.B2I, I, 0);
                for (int h = 0; h < 16; h += 8) {
                    ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
                    ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
                    for (int k = 16 * g + h; k < 16 * g + h + 8; k++) {
                        int col = (SUPER * b + k) * STRIPS * W;
                        ShortVector v0 = ShortVector.fromArray(S, w, col);
                        ShortVector v1 = ShortVector.fromArray(S, w, col + W);
                        ShortVector x = ShortVector.broadcast(S, q[x0 + k]);
                        a00 = a00.add(v0.mul(x));
                        a10 = a10.add(v1.mul(x));
                        x = ShortVector.broadcast(S, q[x1 + k]);
                        a01 = a01.add(v0.mul(x));
                        a11 = a11.add(v1.mul(x));
                        x = ShortVector.broadcast(S, q[x2 + k]);
                        a02 = a02.add(v0.mul(x));
                        a12 = a12.add(v1.mul(x));
                    }
                    s0t0L = ((IntVector) a00.convertShape(VectorOperators.S2I, I, 0)).mul(sc0L).add(s0t0L);
                    s0t0H = ((IntVector) a00.convertShape(VectorOperators.S2I, I, 1)).mul(sc0H).add(s0t0H);
                    s0t1L = ((IntVector) a01.convertShape(VectorOperators.S2I, I, 0)).mul(sc0L).add(s0t1L);
                    s0t1H = ((IntVector) a01.convertShape(VectorOperators.S2I, I, 1)).mul(sc0H).add(s0t1H);
                    s0t2L = ((IntVector) a02.convertShape(VectorOperators.S2I, I, 0)).mul(sc0L).add(s0t2L);
                    s0t2H = ((IntVector) a02.convertShape(VectorOperators.S2I, I, 1)).mul(sc0H).add(s0t2H);
                    s1t0L = ((IntVector) a10.convertShape(VectorOperators.S2I, I, 0)).mul(sc1L).add(s1t0L);
                    s1t0H = ((IntVector) a10.convertShape(VectorOperators.S2I, I, 1)).mul(sc1H).add(s1t0H);
                    s1t1L = ((IntVector) a11.convertShape(VectorOperators.S2I, I, 0)).mul(sc1L).add(s1t1L);
                    s1t1H = ((IntVector) a11.convertShape(VectorOperators.S2I, I, 1)).mul(sc1H).add(s1t1H);
                    s1t2L = ((IntVector) a12.convertShape(VectorOperators.S2I, I, 0)).mul(sc1L).add(s1t2L);
                    s1t2H = ((IntVector) a12.convertShape(VectorOperators.S2I, I, 1)).mul(sc1H).add(s1t2H);
                }
            }
            // y = fma(sum, d_w·d_x, y) per strip half and token, as one() does. Written out: a helper taking
            // vectors would box them wherever C2 declines to inline it.
            float d0 = d[t * blocks + 8 * b];
            float d1 = d[(t + 1) * blocks + 8 * b];
            float d2 = d[(t + 2) * blocks + 8 * b];
            int y0 = yOff;
            int y1 = yOff + yStride;
            int y2 = yOff + 2 * yStride;
            FloatVector lo = FloatVector.fromArray(F, this.d, block * W);
            FloatVector hi = FloatVector.fromArray(F, this.d, block * W + HALF);
            ((FloatVector) s0t0L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) s0t0H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            ((FloatVector) s0t1L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) s0t1H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            ((FloatVector) s0t2L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) s0t2H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            lo = FloatVector.fromArray(F, this.d, (block + supers) * W);
            hi = FloatVector.fromArray(F, this.d, (block + supers) * W + HALF);
            ((FloatVector) s1t0L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            ((FloatVector) s1t0H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            ((FloatVector) s1t1L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            ((FloatVector) s1t1H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            ((FloatVector) s1t2L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            ((FloatVector) s1t2H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
        }
    }

}
