package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A matrix of 5-bit values in blocks of 32 (Q5_0, Q5_1, Q5_K; Q4_1 as 5-bit values whose fifth bit is 0),
 * repacked into strips of 2W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with AVX2), two rows
 * in each 16-bit lane, for integer products with {@link Q8Activations} as llama.cpp multiplies them: Q8_0
 * activations, Q8_K for Q5_K. Loaded only through {@link PackedMatrix#of}.
 *
 * <p>Layout: one Java array of bytes, strip after strip, in the order the decode kernel reads it:
 * <pre>
 *   Q5_0, Q5_1, Q4_1, per block of 32 columns:
 *     d, m:    2W halves each   the file's fp16 d and m of each row's block (Q5_0: m = 0)
 *     quants:  2 × 11 × W shorts
 *   Q5_K, per super-block of 256 columns:
 *     d, dmin: 2W floats each
 *     8 blocks of 32 columns, each: quants, then 2W bytes: the 6-bit scale sc of each row, and 2W
 *     bytes: its 6-bit min m
 * </pre>
 * A block's quants are two halves of sixteen columns, each in eleven vectors of W shorts. Lane l holds
 * the field u_A + 32·u_B of a column, u in [0, 31] the file's value of rows A = l and B = W + l: vectors
 * 2i and 2i+1 (i &lt; 5) hold columns 3i and 3i+1 in bits 0-9, and column 3i+2 in their top bits (its
 * field's bits 0-5 atop vector 2i, 6-9 in bits 10-13 of vector 2i+1); vector 10 holds column 15. The
 * quants take 5.5 bits per value, 22 bytes per row and 32 columns; with d and m, 26 for the legacy types
 * (files 22, 24, 20), with the scales, 25 for Q5_K (22). The layout before kept a byte per value, one row per lane, and A and C as floats in arrays
 * of their own: 40 bytes. Decoding one token reads every byte once, from memory, so size is time.
 * Measured against it (one thread, alternating in one process, the same bits out, Gweights/s, medians
 * of 8 rounds): a 4096 × 16384 matrix Q5_K 17.6 -> 32.4, Q5_0 22.0 -> 36.3, Q5_1 16.4 -> 36.6; thirty
 * 2048 × 8192 in turn Q5_K 15.3 -> 33.3, Q5_0 19.8 -> 31.8, Q5_1 14.0 -> 31.4; in the cache (1024 ×
 * 1024) Q5_K 37.7 -> 39.4, Q5_0 43.3 -> 38.2, Q5_1 37.0 -> 38.9. {@code nabd bench} tg64 at one thread,
 * llama3.2-1b Q5_K_M 12.8 -> 23.4 t/s, qwen2.5-0.5b Q4_1 28.0 -> 52.3. Prompts went the other way:
 * the batch kernel is the one before on the same unpacked values, yet llama3.2-1b Q5_K_M pp128 at one
 * thread measured 44.7 -> 37.7 t/s, JFR counting 30% more samples in tile() for the same work (not
 * explained: the unpacking is 3% of the samples, the offsets' pass takes no more than before).
 *
 * <p>Each value is A·(u − 16) + C: Q5_0 d·(u − 16) (A = d, C = 0); Q5_1 and Q4_1 d·u + m (A = d, C = 16d
 * + m); Q5_K d·sc·u − dmin·m per block (A = d·sc, exact in float, C = 16A − dmin·m). Per column, one
 * broadcast activation x and the field f serve both rows of a lane:
 * <pre>
 *   P += f·x            = Σ u_A·x + 32·Σ u_B·x   modulo 2^16
 *   Q += (f &gt;&gt;&gt; 5)·x    = Σ u_B·x
 * </pre>
 * over sixteen columns; then row A's Σ (u − 16)·x is P − 32·Q − 16·Σx and row B's Q − 16·Σx. Exact: the
 * true sums over sixteen columns fit 16 bits (|16·16·127| = 32512), and arithmetic modulo 2^16 gets any
 * value in that range right however far the partial sums of unsigned values wrapped. The two halves'
 * sums become floats whose exact float sum is the block's integer sum (ggml's {@code vec_dot_q5_0_q8_0}),
 * then {@code y = fma(sum, A·d_x, y)} block after block. The offsets meet the activations' block sums
 * (d_x·Σq_x, {@link Q8Activations#blockSum}) in a sum of their own, {@code o = fma(C, blockSum, o)} block
 * after block from 0, and the result is y + o (as {@link Q4Strips} does for Q4_K, and as ggml keeps the
 * minimums' part of Q5_1 and Q5_K apart).
 *
 * <p>A batch of three tokens or more unpacks a strip to signed 16-bit values u − 16, one row per lane,
 * and its A and C to floats, and runs it by three tokens at a time ({@link #tile}) with the same
 * operations per output as a token alone ({@link #one}): a token's result is the same bits alone or
 * batched.
 */
final class Q5Strips extends Strips {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Rows per strip: two in each 16-bit lane. */
    private static final int HEIGHT = 2 * W;
    /** Bytes of a block's quants: 2 halves of 11 vectors of W shorts. */
    private static final int QUANT_BYTES = 2 * 11 * 2 * W;
    /** Legacy types: bytes per block, d and m (2W halves each) then the quants. */
    private static final int LEGACY_BLOCK_BYTES = 8 * W + QUANT_BYTES;
    /** Q5_K: bytes per block, the quants then 2W bytes of sc and of m. */
    private static final int K_BLOCK_BYTES = QUANT_BYTES + 4 * W;
    /** Q5_K: bytes per super-block, 2W floats of d and of dmin, then 8 blocks. */
    private static final int K_SUPER_BYTES = 16 * W + 8 * K_BLOCK_BYTES;

    private final int blocks;
    private final byte[] data;
    /** Q5_K, or a legacy type whose A is d. */
    private final boolean k;
    /** C = bias·d + m for the legacy types: 16, or 0 for Q5_0 (whose m is 0). */
    private final float bias;

    private Q5Strips(int rows, int cols, byte[] data, boolean k, float bias) {
        super(rows, cols, k ? ActivationFormat.Q8_K : ActivationFormat.Q8_0, 1, HEIGHT);
        this.blocks = cols / 32;
        this.data = data;
        this.k = k;
        this.bias = bias;
    }

    /** Where block {@code blk} (strip after strip) starts: its d (legacy) or its quants (Q5_K). */
    private int blockAt(int blk) {
        return k ? (blk >> 3) * K_SUPER_BYTES + 16 * W + (blk & 7) * K_BLOCK_BYTES : blk * LEGACY_BLOCK_BYTES;
    }

    /** Q5_K: where the d and dmin that block {@code blk} takes start. */
    private static int superAt(int blk) {
        return (blk >> 3) * K_SUPER_BYTES;
    }

    /** Where block {@code blk}'s quants start. */
    private int quantsAt(int blk) {
        return k ? blockAt(blk) : blockAt(blk) + 8 * W;
    }

    /** The packed copy of a Q5_0, Q5_1, Q4_1 or Q5_K matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        GgmlType type = w.type();
        boolean known = type == GgmlType.Q5_0 || type == GgmlType.Q5_1 || type == GgmlType.Q4_1 || type == GgmlType.Q5_K;
        if (!known || W < 8) {
            return null;
        }
        boolean k = type == GgmlType.Q5_K;
        int rows = w.rows();
        int blocks = w.cols() / 32;
        long size = (long) padded(rows, HEIGHT) / HEIGHT * (k ? (long) blocks / 8 * K_SUPER_BYTES : (long) blocks * LEGACY_BLOCK_BYTES);
        if (size > Integer.MAX_VALUE - 64) {
            return null;
        }
        byte[] data = new byte[(int) size + BYTES_PAST];
        Q5Strips packed = new Q5Strips(rows, w.cols(), data, k, type == GgmlType.Q5_0 ? 0 : 16);
        MemorySegment in = w.data();
        int[] q = new int[32];   // one block's values as the file gives them, unsigned
        for (int r = 0; r < rows; r++) {
            int inStrip = r % HEIGHT;
            int lane = r % W;
            int shift = inStrip < W ? 0 : 5;   // row A's u in bits 0-4 of a field, row B's in 5-9
            long row = r * w.rowBytes();
            for (int b = 0; b < blocks; b++) {
                int blk = (r / HEIGHT) * blocks + b;
                int at = packed.blockAt(blk);
                switch (type) {
                    case Q5_0 -> {
                        // fp16 d, u32 of fifth bits (bit j: value j), 16 bytes: values 0..15 low nibbles, 16..31 high.
                        long src = row + 22L * b;
                        putShort(data, at + 2 * inStrip, in.get(U16, src));
                        nibbles(in, src + 6, in.get(U32, src + 2), q);
                    }
                    case Q5_1, Q4_1 -> {
                        // fp16 d, fp16 m, then as Q5_0 (Q4_1: no fifth bits).
                        boolean five = type == GgmlType.Q5_1;
                        long src = row + (five ? 24L : 20L) * b;
                        putShort(data, at + 2 * inStrip, in.get(U16, src));
                        putShort(data, at + 4 * W + 2 * inStrip, in.get(U16, src + 2));
                        nibbles(in, src + (five ? 8 : 4), five ? in.get(U32, src + 4) : 0, q);
                    }
                    default -> {
                        // Q5_K super-block b/8: fp16 d and dmin, 12 bytes of 6-bit scales and mins (as Q4_K's),
                        // 32 bytes qh whose bit j is sub-block j's fifth bit, 128 bytes where sub-blocks 2g and
                        // 2g+1 are the low and high nibbles of bytes 32g ..
                        long sb = row + 176L * (b / 8);
                        int j = b % 8;
                        if (j == 0) {
                            int sup = superAt(blk);
                            putFloat(data, sup + 4 * inStrip, Float.float16ToFloat(in.get(U16, sb)));
                            putFloat(data, sup + 8 * W + 4 * inStrip, Float.float16ToFloat(in.get(U16, sb + 2)));
                        }
                        data[at + QUANT_BYTES + inStrip] = (byte) PanamaRows.Q4_K.scale(in.get(U32, sb + 4), in.get(U32, sb + 12), j);
                        data[at + QUANT_BYTES + HEIGHT + inStrip] = (byte) PanamaRows.Q4_K.min(in.get(U32, sb + 8), in.get(U32, sb + 12), j);
                        long qs = sb + 48 + 32L * (j / 2);
                        for (int l = 0; l < 32; l++) {
                            int low = in.get(ValueLayout.JAVA_BYTE, qs + l) >> 4 * (j % 2) & 0xF;
                            q[l] = low | (in.get(ValueLayout.JAVA_BYTE, sb + 16 + l) >> j & 1) << 4;
                        }
                    }
                }
                int quants = packed.quantsAt(blk);
                for (int c = 0; c < 32; c++) {
                    int field = q[c] << shift;
                    int half = quants + c / 16 * 11 * 2 * W;   // the half's first vector
                    int col = c % 16;
                    if (col == 15) {
                        orShort(data, half + 10 * 2 * W + 2 * lane, field);
                    } else if (col % 3 < 2) {
                        orShort(data, half + (col / 3 * 2 + col % 3) * 2 * W + 2 * lane, field);
                    } else {   // the third column of a pair of vectors: bits 0-5 atop the first, 6-9 atop the second
                        orShort(data, half + col / 3 * 2 * 2 * W + 2 * lane, (field & 0x3F) << 10);
                        orShort(data, half + (col / 3 * 2 + 1) * 2 * W + 2 * lane, (field >> 6) << 10);
                    }
                }
            }
        }
        return packed;
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

    /*
     * The decode kernel: one method per kind (legacy, Q5_K) with no test of the type inside, as Q4Strips'
     * oneQ40 and oneQ4K and for the same reason (float vectors a branch updated were at times boxed by C2).
     * Both walk a block the same way: two halves of sixteen columns, P and Q of the class comment in two
     * 16-bit accumulators each, rows A and B taken apart, the halves' sums added as floats. The halves are
     * written out: as a loop over two halves adding into float sums (the same bits), the decode measured
     * 6-11% slower (one thread, Q5_1 and Q5_K, from memory and in the cache, 8 rounds each).
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        if (k) {
            oneK(s, quantized, t, y, yOff);
        } else {
            oneLegacy(s, quantized, t, y, yOff);
        }
    }

    /**
     * {@link #one} for Q5_0, Q5_1 and Q4_1: A = d, C = bias·d + m, from the file's fp16 widened as
     * {@link PanamaRows.Half} widens F16 weights (exactly).
     */
    private void oneLegacy(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] octets = quantized.octetSums();
        float[] d = quantized.scales();
        float[] sums = quantized.blockSums();
        // Shift counts and masks as vectors (see Q4Strips.oneQ40).
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);
        ShortVector by5 = ShortVector.broadcast(S, (short) 5);
        ShortVector by10 = ShortVector.broadcast(S, (short) 10);
        ShortVector field = ShortVector.broadcast(S, (short) 0x3FF);
        ShortVector high4 = ShortVector.broadcast(S, (short) 0x3C0);
        FloatVector lo0 = FloatVector.zero(F);   // rows 0 .. HALF, HALF .. W (the lanes' row A), W .. W+HALF, W+HALF .. 2W
        FloatVector hi0 = FloatVector.zero(F);
        FloatVector lo1 = FloatVector.zero(F);
        FloatVector hi1 = FloatVector.zero(F);
        FloatVector off0 = FloatVector.zero(F);   // Σ C·blockSum, by run of HALF rows as above
        FloatVector off1 = FloatVector.zero(F);
        FloatVector off2 = FloatVector.zero(F);
        FloatVector off3 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int at = blockAt(s * blocks + b);
            int x = t * cols + 32 * b;
            // A = d and m of each run of HALF rows, read first (in order).
            FloatVector a0 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector a1 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector a2 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 2 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector a3 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 3 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m0 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 4 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m1 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 5 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m2 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 6 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m3 = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 7 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            int quants = at + 8 * W;
            // Half 0 (columns 0-15), then half 1: rows A and B of each as exact 16-bit sums.
            ShortVector p = ShortVector.zero(S);
            ShortVector r = ShortVector.zero(S);   // Q of the class comment
            for (int i = 0; i < 5; i++) {
                ShortVector l0 = ByteVector.fromArray(B, data, quants + 4 * W * i).reinterpretAsShorts();
                ShortVector l1 = ByteVector.fromArray(B, data, quants + 4 * W * i + 2 * W).reinterpretAsShorts();
                short x0 = q[x + 3 * i], x1 = q[x + 3 * i + 1], x2 = q[x + 3 * i + 2];
                ShortVector f = l0.and(field);
                p = p.add(f.mul(x0));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x0));
                f = l1.and(field);
                p = p.add(f.mul(x1));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x1));
                f = l0.lanewise(VectorOperators.LSHR, by10).or(l1.lanewise(VectorOperators.LSHR, by4).and(high4));
                p = p.add(f.mul(x2));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x2));
            }
            ShortVector last = ByteVector.fromArray(B, data, quants + 20 * W).reinterpretAsShorts();
            p = p.add(last.mul(q[x + 15]));
            r = r.add(last.lanewise(VectorOperators.LSHR, by5).mul(q[x + 15]));
            short sixteen = (short) ((octets[x / 8] + octets[x / 8 + 1]) >> 1);   // 16·Σx of the half
            ShortVector rowA = p.sub(r.lanewise(VectorOperators.LSHL, by5)).sub(sixteen);
            ShortVector rowB = r.sub(sixteen);
            quants += 22 * W;
            p = ShortVector.zero(S);
            r = ShortVector.zero(S);
            for (int i = 0; i < 5; i++) {
                ShortVector l0 = ByteVector.fromArray(B, data, quants + 4 * W * i).reinterpretAsShorts();
                ShortVector l1 = ByteVector.fromArray(B, data, quants + 4 * W * i + 2 * W).reinterpretAsShorts();
                short x0 = q[x + 16 + 3 * i], x1 = q[x + 16 + 3 * i + 1], x2 = q[x + 16 + 3 * i + 2];
                ShortVector f = l0.and(field);
                p = p.add(f.mul(x0));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x0));
                f = l1.and(field);
                p = p.add(f.mul(x1));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x1));
                f = l0.lanewise(VectorOperators.LSHR, by10).or(l1.lanewise(VectorOperators.LSHR, by4).and(high4));
                p = p.add(f.mul(x2));
                r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x2));
            }
            last = ByteVector.fromArray(B, data, quants + 20 * W).reinterpretAsShorts();
            p = p.add(last.mul(q[x + 31]));
            r = r.add(last.lanewise(VectorOperators.LSHR, by5).mul(q[x + 31]));
            sixteen = (short) ((octets[x / 8 + 2] + octets[x / 8 + 3]) >> 1);
            ShortVector rowA2 = p.sub(r.lanewise(VectorOperators.LSHL, by5)).sub(sixteen);
            ShortVector rowB2 = r.sub(sixteen);
            float dx = d[t * blocks + b];
            lo0 = ((FloatVector) rowA.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowA2.convertShape(VectorOperators.S2F, F, 0)).fma(a0.mul(dx), lo0);
            hi0 = ((FloatVector) rowA.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowA2.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).fma(a1.mul(dx), hi0);
            lo1 = ((FloatVector) rowB.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowB2.convertShape(VectorOperators.S2F, F, 0)).fma(a2.mul(dx), lo1);
            hi1 = ((FloatVector) rowB.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowB2.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).fma(a3.mul(dx), hi1);
            // C = bias·d + m times the block sum.
            FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
            off0 = a0.mul(bias).add(m0).fma(v, off0);
            off1 = a1.mul(bias).add(m1).fma(v, off1);
            off2 = a2.mul(bias).add(m2).fma(v, off2);
            off3 = a3.mul(bias).add(m3).fma(v, off3);
        }
        // The integer part's sums plus the offsets', as the tile adds them.
        lo0.add(off0).intoArray(y, yOff);
        hi0.add(off1).intoArray(y, yOff + HALF);
        lo1.add(off2).intoArray(y, yOff + W);
        hi1.add(off3).intoArray(y, yOff + W + HALF);
    }

    /** {@link #one} for Q5_K: A = d·sc, C = 16A − dmin·m, as {@link Q4Strips} computes Q4_K's. */
    private void oneK(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] octets = quantized.octetSums();
        float[] d = quantized.scales();
        float[] sums = quantized.blockSums();
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // as in oneLegacy
        ShortVector by5 = ShortVector.broadcast(S, (short) 5);
        ShortVector by10 = ShortVector.broadcast(S, (short) 10);
        ShortVector field = ShortVector.broadcast(S, (short) 0x3FF);
        ShortVector high4 = ShortVector.broadcast(S, (short) 0x3C0);
        FloatVector lo0 = FloatVector.zero(F);   // rows as in oneLegacy
        FloatVector hi0 = FloatVector.zero(F);
        FloatVector lo1 = FloatVector.zero(F);
        FloatVector hi1 = FloatVector.zero(F);
        FloatVector off0 = FloatVector.zero(F);
        FloatVector off1 = FloatVector.zero(F);
        FloatVector off2 = FloatVector.zero(F);
        FloatVector off3 = FloatVector.zero(F);
        for (int head = 0; head < blocks; head += 8) {
            int sup = superAt(s * blocks + head);
            FloatVector d0 = ByteVector.fromArray(B, data, sup).reinterpretAsFloats();
            FloatVector d1 = ByteVector.fromArray(B, data, sup + 2 * W).reinterpretAsFloats();
            FloatVector d2 = ByteVector.fromArray(B, data, sup + 4 * W).reinterpretAsFloats();
            FloatVector d3 = ByteVector.fromArray(B, data, sup + 6 * W).reinterpretAsFloats();
            FloatVector n0 = ByteVector.fromArray(B, data, sup + 8 * W).reinterpretAsFloats();   // dmin
            FloatVector n1 = ByteVector.fromArray(B, data, sup + 10 * W).reinterpretAsFloats();
            FloatVector n2 = ByteVector.fromArray(B, data, sup + 12 * W).reinterpretAsFloats();
            FloatVector n3 = ByteVector.fromArray(B, data, sup + 14 * W).reinterpretAsFloats();
            for (int b = head; b < head + 8; b++) {
                int quants = blockAt(s * blocks + b);
                int x = t * cols + 32 * b;
                ShortVector p = ShortVector.zero(S);
                ShortVector r = ShortVector.zero(S);
                for (int i = 0; i < 5; i++) {
                    ShortVector l0 = ByteVector.fromArray(B, data, quants + 4 * W * i).reinterpretAsShorts();
                    ShortVector l1 = ByteVector.fromArray(B, data, quants + 4 * W * i + 2 * W).reinterpretAsShorts();
                    short x0 = q[x + 3 * i], x1 = q[x + 3 * i + 1], x2 = q[x + 3 * i + 2];
                    ShortVector f = l0.and(field);
                    p = p.add(f.mul(x0));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x0));
                    f = l1.and(field);
                    p = p.add(f.mul(x1));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x1));
                    f = l0.lanewise(VectorOperators.LSHR, by10).or(l1.lanewise(VectorOperators.LSHR, by4).and(high4));
                    p = p.add(f.mul(x2));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x2));
                }
                ShortVector last = ByteVector.fromArray(B, data, quants + 20 * W).reinterpretAsShorts();
                p = p.add(last.mul(q[x + 15]));
                r = r.add(last.lanewise(VectorOperators.LSHR, by5).mul(q[x + 15]));
                short sixteen = (short) ((octets[x / 8] + octets[x / 8 + 1]) >> 1);
                ShortVector rowA = p.sub(r.lanewise(VectorOperators.LSHL, by5)).sub(sixteen);
                ShortVector rowB = r.sub(sixteen);
                quants += 22 * W;
                p = ShortVector.zero(S);
                r = ShortVector.zero(S);
                for (int i = 0; i < 5; i++) {
                    ShortVector l0 = ByteVector.fromArray(B, data, quants + 4 * W * i).reinterpretAsShorts();
                    ShortVector l1 = ByteVector.fromArray(B, data, quants + 4 * W * i + 2 * W).reinterpretAsShorts();
                    short x0 = q[x + 16 + 3 * i], x1 = q[x + 16 + 3 * i + 1], x2 = q[x + 16 + 3 * i + 2];
                    ShortVector f = l0.and(field);
                    p = p.add(f.mul(x0));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x0));
                    f = l1.and(field);
                    p = p.add(f.mul(x1));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x1));
                    f = l0.lanewise(VectorOperators.LSHR, by10).or(l1.lanewise(VectorOperators.LSHR, by4).and(high4));
                    p = p.add(f.mul(x2));
                    r = r.add(f.lanewise(VectorOperators.LSHR, by5).mul(x2));
                }
                last = ByteVector.fromArray(B, data, quants + 20 * W).reinterpretAsShorts();
                p = p.add(last.mul(q[x + 31]));
                r = r.add(last.lanewise(VectorOperators.LSHR, by5).mul(q[x + 31]));
                sixteen = (short) ((octets[x / 8 + 2] + octets[x / 8 + 3]) >> 1);
                ShortVector rowA2 = p.sub(r.lanewise(VectorOperators.LSHL, by5)).sub(sixteen);
                ShortVector rowB2 = r.sub(sixteen);
                // A = sc·d for the four runs of HALF rows, times d_x, as the block's scale (sc follows the quants).
                float dx = d[t * blocks + b];
                int sc = quants + 22 * W;
                FloatVector a0 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc).convertShape(VectorOperators.B2F, F, 0)).mul(d0);
                FloatVector a1 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d1);
                FloatVector a2 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W).convertShape(VectorOperators.B2F, F, 0)).mul(d2);
                FloatVector a3 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d3);
                lo0 = ((FloatVector) rowA.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowA2.convertShape(VectorOperators.S2F, F, 0)).fma(a0.mul(dx), lo0);
                hi0 = ((FloatVector) rowA.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowA2.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).fma(a1.mul(dx), hi0);
                lo1 = ((FloatVector) rowB.convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowB2.convertShape(VectorOperators.S2F, F, 0)).fma(a2.mul(dx), lo1);
                hi1 = ((FloatVector) rowB.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).add((FloatVector) rowB2.rearrange(UPPER).convertShape(VectorOperators.S2F, F, 0)).fma(a3.mul(dx), hi1);
                // C = 16A − dmin·m times the block sum (m follows sc: read in order).
                FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
                off0 = a0.mul(16f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT).convertShape(VectorOperators.B2F, F, 0)).mul(n0)).fma(v, off0);
                off1 = a1.mul(16f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n1)).fma(v, off1);
                off2 = a2.mul(16f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + W).convertShape(VectorOperators.B2F, F, 0)).mul(n2)).fma(v, off2);
                off3 = a3.mul(16f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n3)).fma(v, off3);
            }
        }
        lo0.add(off0).intoArray(y, yOff);
        hi0.add(off1).intoArray(y, yOff + HALF);
        lo1.add(off2).intoArray(y, yOff + W);
        hi1.add(off3).intoArray(y, yOff + W + HALF);
    }

    /**
     * Strip {@code first} as signed 16-bit values u − 16 in {@link #unpacked}(ws), one row per lane: column
     * c's rows A at c·2W and rows B at c·2W + W, so the tile loads its weights in order and without shifts.
     * Its scales A and offsets C, computed as one() computes them, go to {@link #factors}(ws): per block,
     * 2W floats of A then 2W of C, rows in order.
     */
    @Override
    void unpack(int first, Workspace ws) {
        short[] w = unpacked(ws);
        float[] f = factors(ws);
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // as in one()
        ShortVector by5 = ShortVector.broadcast(S, (short) 5);
        ShortVector by10 = ShortVector.broadcast(S, (short) 10);
        ShortVector field = ShortVector.broadcast(S, (short) 0x3FF);
        ShortVector high4 = ShortVector.broadcast(S, (short) 0x3C0);
        ShortVector low5 = ShortVector.broadcast(S, (short) 0x1F);
        ShortVector sixteen = ShortVector.broadcast(S, (short) 16);
        for (int b = 0; b < blocks; b++) {
            int blk = first * blocks + b;
            int at = blockAt(blk);
            for (int h = 0; h < 2; h++) {
                int quants = quantsAt(blk) + h * 22 * W;
                int c = (32 * b + 16 * h) * HEIGHT;   // where the half's first column goes
                for (int i = 0; i < 5; i++) {
                    ShortVector l0 = ByteVector.fromArray(B, data, quants + 4 * W * i).reinterpretAsShorts();
                    ShortVector l1 = ByteVector.fromArray(B, data, quants + 4 * W * i + 2 * W).reinterpretAsShorts();
                    int col = c + 3 * i * HEIGHT;
                    ShortVector v = l0.and(field);
                    v.and(low5).sub(sixteen).intoArray(w, col);
                    v.lanewise(VectorOperators.LSHR, by5).sub(sixteen).intoArray(w, col + W);
                    v = l1.and(field);
                    v.and(low5).sub(sixteen).intoArray(w, col + HEIGHT);
                    v.lanewise(VectorOperators.LSHR, by5).sub(sixteen).intoArray(w, col + HEIGHT + W);
                    v = l0.lanewise(VectorOperators.LSHR, by10).or(l1.lanewise(VectorOperators.LSHR, by4).and(high4));
                    v.and(low5).sub(sixteen).intoArray(w, col + 2 * HEIGHT);
                    v.lanewise(VectorOperators.LSHR, by5).sub(sixteen).intoArray(w, col + 2 * HEIGHT + W);
                }
                ShortVector v = ByteVector.fromArray(B, data, quants + 20 * W).reinterpretAsShorts();
                v.and(low5).sub(sixteen).intoArray(w, c + 15 * HEIGHT);
                v.lanewise(VectorOperators.LSHR, by5).sub(sixteen).intoArray(w, c + 15 * HEIGHT + W);
            }
            for (int part = 0; part < 4; part++) {   // the runs of HALF rows
                int o = b * 2 * HEIGHT + part * HALF;
                if (!k) {
                    // A = d and C = bias·d + m, widened as oneLegacy widens them (each branch stores its own
                    // vectors: a vector chosen between two would be boxed).
                    FloatVector a = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + part * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                            .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
                    FloatVector m = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + (4 + part) * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                            .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
                    a.intoArray(f, o);
                    a.mul(bias).add(m).intoArray(f, o + HEIGHT);
                    continue;
                }
                int sc = at + QUANT_BYTES;
                int sup = superAt(blk);
                FloatVector a = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + part * HALF).convertShape(VectorOperators.B2F, F, 0))
                        .mul(ByteVector.fromArray(B, data, sup + part * 2 * W).reinterpretAsFloats());
                a.intoArray(f, o);
                a.mul(16f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + part * HALF).convertShape(VectorOperators.B2F, F, 0))
                        .mul(ByteVector.fromArray(B, data, sup + (4 + part) * 2 * W).reinterpretAsFloats())).intoArray(f, o + HEIGHT);
            }
        }
    }

    /** A and C of the unpacked strip: per block 2W floats of A, then 2W of C, rows in order. */
    private float[] factors(Workspace ws) {
        return ws.floats(blocks * 2 * HEIGHT);
    }

    /**
     * Tokens t .. t+2 through strip {@code first} (unpacked in {@link #unpacked}(ws)); token t+j's results go
     * to y[yOff + j·yStride ..]. Per block, twelve 16-bit sums: rows (A or B) × token × half (columns k and
     * k+16 in one step), 12 of the 32 AVX-512 registers with 4 columns and a broadcast, kept in {@code sums}
     * for {@link #CHUNK} blocks and then scaled ({@link #scaleSums}) with the operations of {@link #one};
     * the offsets last.
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        short[] w = unpacked(ws);
        float[] f = factors(ws);
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        short[] sums = ws.sums(CHUNK * 12 * W);
        for (int from = 0; from < blocks; from += CHUNK) {
            int to = Math.min(blocks, from + CHUNK);
            for (int b = from; b < to; b++) {
                int x0 = t * cols + 32 * b;
                int x1 = x0 + cols;
                int x2 = x1 + cols;
                // aST: rows A (S = 0) or B (S = 1), token T, columns 0-15; eST: columns 16-31.
                ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
                ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
                ShortVector e00 = ShortVector.zero(S), e01 = ShortVector.zero(S), e02 = ShortVector.zero(S);
                ShortVector e10 = ShortVector.zero(S), e11 = ShortVector.zero(S), e12 = ShortVector.zero(S);
                // Four columns (and their partners 16 on) per step, written out. As a plain loop of sixteen
                // steps the kernel had two speeds, 32 or 51 Gmultiply-adds/s alone on one thread, and C2's loop
                // decisions (driven by profile counts) picked one per process: -XX:LoopUnrollLimit=1 swapped
                // them between two harnesses. Written out by four it runs at 48-51 in both, either way.
                // Integer adds: any grouping gives the same sums.
                for (int k = 0; k < 16; k += 4) {
                    int col = (32 * b + k) * HEIGHT;
                    int far = col + 16 * HEIGHT;
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
                    col = (32 * b + k + 1) * HEIGHT;
                    far = col + 16 * HEIGHT;
                    v0 = ShortVector.fromArray(S, w, col);
                    v1 = ShortVector.fromArray(S, w, col + W);
                    u0 = ShortVector.fromArray(S, w, far);
                    u1 = ShortVector.fromArray(S, w, far + W);
                    x = ShortVector.broadcast(S, q[x0 + k + 1]);
                    a00 = a00.add(v0.mul(x));
                    a10 = a10.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x0 + k + 17]);
                    e00 = e00.add(u0.mul(x));
                    e10 = e10.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 1]);
                    a01 = a01.add(v0.mul(x));
                    a11 = a11.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 17]);
                    e01 = e01.add(u0.mul(x));
                    e11 = e11.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 1]);
                    a02 = a02.add(v0.mul(x));
                    a12 = a12.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 17]);
                    e02 = e02.add(u0.mul(x));
                    e12 = e12.add(u1.mul(x));
                    col = (32 * b + k + 2) * HEIGHT;
                    far = col + 16 * HEIGHT;
                    v0 = ShortVector.fromArray(S, w, col);
                    v1 = ShortVector.fromArray(S, w, col + W);
                    u0 = ShortVector.fromArray(S, w, far);
                    u1 = ShortVector.fromArray(S, w, far + W);
                    x = ShortVector.broadcast(S, q[x0 + k + 2]);
                    a00 = a00.add(v0.mul(x));
                    a10 = a10.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x0 + k + 18]);
                    e00 = e00.add(u0.mul(x));
                    e10 = e10.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 2]);
                    a01 = a01.add(v0.mul(x));
                    a11 = a11.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 18]);
                    e01 = e01.add(u0.mul(x));
                    e11 = e11.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 2]);
                    a02 = a02.add(v0.mul(x));
                    a12 = a12.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 18]);
                    e02 = e02.add(u0.mul(x));
                    e12 = e12.add(u1.mul(x));
                    col = (32 * b + k + 3) * HEIGHT;
                    far = col + 16 * HEIGHT;
                    v0 = ShortVector.fromArray(S, w, col);
                    v1 = ShortVector.fromArray(S, w, col + W);
                    u0 = ShortVector.fromArray(S, w, far);
                    u1 = ShortVector.fromArray(S, w, far + W);
                    x = ShortVector.broadcast(S, q[x0 + k + 3]);
                    a00 = a00.add(v0.mul(x));
                    a10 = a10.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x0 + k + 19]);
                    e00 = e00.add(u0.mul(x));
                    e10 = e10.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 3]);
                    a01 = a01.add(v0.mul(x));
                    a11 = a11.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + k + 19]);
                    e01 = e01.add(u0.mul(x));
                    e11 = e11.add(u1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 3]);
                    a02 = a02.add(v0.mul(x));
                    a12 = a12.add(v1.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + k + 19]);
                    e02 = e02.add(u0.mul(x));
                    e12 = e12.add(u1.mul(x));
                }
                // Rows A then B, each by token, columns 0-15 (a) then 16-31 (e): 12 runs of W shorts a block.
                int o = (b - from) * 12 * W;
                a00.intoArray(sums, o);
                a01.intoArray(sums, o + W);
                a02.intoArray(sums, o + 2 * W);
                a10.intoArray(sums, o + 3 * W);
                a11.intoArray(sums, o + 4 * W);
                a12.intoArray(sums, o + 5 * W);
                e00.intoArray(sums, o + 6 * W);
                e01.intoArray(sums, o + 7 * W);
                e02.intoArray(sums, o + 8 * W);
                e10.intoArray(sums, o + 9 * W);
                e11.intoArray(sums, o + 10 * W);
                e12.intoArray(sums, o + 11 * W);
            }
            scaleSums(f, sums, d, t, from, to, y, yOff, yStride);
        }
        float[] blockSums = quantized.blockSums();
        for (int j = 0; j < TOKENS; j++) {
            addOffsets(f, blockSums, t + j, y, yOff + j * yStride);
        }
    }

    /** Blocks whose 16-bit sums {@link #tile} keeps before it scales them: 12 vectors a block, 6 KB at 512 bits. */
    private static final int CHUNK = 8;

    /**
     * Adds the integer sums of blocks from .. to (in {@code sums} as {@link #tile} leaves them) to the
     * tile's outputs, block after block: per run of HALF rows and token y = fma(float(a) + float(e), A·d_x, y)
     * as one() does (the float sum of the two halves is their exact integer sum), y in registers for the
     * chunk. A method of its own, as Q4Strips' scaling and for its reasons: each block's sums scaled in
     * the tile's loop took about a fifth of Q4Strips' batch time. Here (one thread, 128 tokens through
     * MatMul, alternating builds, Gmultiply-adds/s, cols × rows): Q5_K 2048 × 8192 44.8-50.0 -> 49.5-53.0;
     * Q5_0 896 × 4864 43.1-52.8 -> 47.8-49.9, the same within the noise.
     */
    private void scaleSums(float[] f, short[] sums, float[] d, int t, int from, int to, float[] y, int yOff, int yStride) {
        for (int part = 0; part < 4; part++) {   // rows A lanes 0 .. HALF and HALF .. W, then rows B
            int y0 = yOff + part * HALF;
            int y1 = y0 + yStride;
            int y2 = y1 + yStride;
            FloatVector s0 = FloatVector.fromArray(F, y, y0), s1 = FloatVector.fromArray(F, y, y1), s2 = FloatVector.fromArray(F, y, y2);
            int at = part / 2 * 3 * W + part % 2 * HALF;   // token 0's sum of this run, columns 0-15
            for (int b = from; b < to; b++) {
                FloatVector a = FloatVector.fromArray(F, f, b * 2 * HEIGHT + part * HALF);   // the block's A (factors())
                int o = (b - from) * 12 * W + at;
                s0 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .add((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o + 6 * W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .fma(a.mul(d[t * blocks + b]), s0);
                s1 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o + W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .add((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o + 7 * W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .fma(a.mul(d[(t + 1) * blocks + b]), s1);
                s2 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o + 2 * W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .add((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, o + 8 * W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .fma(a.mul(d[(t + 2) * blocks + b]), s2);
            }
            s0.intoArray(y, y0);
            s1.intoArray(y, y1);
            s2.intoArray(y, y2);
        }
    }

    /**
     * y[yOff .. yOff+2W) += Σ C·blockSum over the unpacked strip's blocks for token t, summed from 0 block
     * after block in registers, as one() sums them.
     */
    private void addOffsets(float[] f, float[] blockSums, int t, float[] y, int yOff) {
        FloatVector o0 = FloatVector.zero(F), o1 = FloatVector.zero(F), o2 = FloatVector.zero(F), o3 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int c = b * 2 * HEIGHT + HEIGHT;   // the block's C (factors())
            FloatVector v = FloatVector.broadcast(F, blockSums[t * blocks + b]);
            o0 = FloatVector.fromArray(F, f, c).fma(v, o0);
            o1 = FloatVector.fromArray(F, f, c + HALF).fma(v, o1);
            o2 = FloatVector.fromArray(F, f, c + W).fma(v, o2);
            o3 = FloatVector.fromArray(F, f, c + W + HALF).fma(v, o3);
        }
        FloatVector.fromArray(F, y, yOff).add(o0).intoArray(y, yOff);
        FloatVector.fromArray(F, y, yOff + HALF).add(o1).intoArray(y, yOff + HALF);
        FloatVector.fromArray(F, y, yOff + W).add(o2).intoArray(y, yOff + W);
        FloatVector.fromArray(F, y, yOff + W + HALF).add(o3).intoArray(y, yOff + W + HALF);
    }
}
