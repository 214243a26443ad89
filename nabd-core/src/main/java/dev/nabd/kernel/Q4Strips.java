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
 * A 4-bit matrix (Q4_0 or Q4_K) repacked into strips of 2W rows (W = the 16-bit lane count: 32 with
 * AVX-512, 16 with AVX2) for integer products with {@link Q8Activations}. Loaded only through
 * {@link PackedMatrix#of}.
 *
 * <p>Layout: one Java array of bytes (int indices let C2 hoist the range checks that long offsets into
 * a memory segment keep in the loop), strip after strip, in the order the decode kernel reads it:
 * <pre>
 *   Q4_0, per block of 32 columns:
 *     d:      2W halves      d of each row's block, the file's fp16 (little-endian)
 *     quants: 16 × W shorts  pair j: lane l = the nibbles of rows l and W+l in columns j and j+16
 *   Q4_K, per super-block of 256 columns:
 *     d, dmin: 2W floats each
 *     8 blocks of 32 columns, each: quants as Q4_0's, then 2W bytes: the 6-bit scale sc of each row,
 *     and 2W bytes: its 6-bit min m
 * </pre>
 * Q4_0 takes 18 bytes per row and 32 columns (the file: 18), Q4_K 19 (18): decoding one token reads each
 * byte once and is bound by memory as much as by instructions, so the copy is kept as small as the file,
 * and read in one stream that only goes forward: the decode kernel takes a (super-)block's d (and dmin)
 * into registers before its quants, and Q4_K's minimums' part is summed as it goes. Measured (one thread,
 * in one process alternating with the layout before, where d, sc, m and dmin were arrays of their own and
 * Q4_K's minimums a second pass over them; medians of 10 rounds, Gweights/s): from memory, a 4096 × 16384
 * matrix Q4_0 29.3 -> 33.2, Q4_K 25.9 -> 39.5; forty 1024 × 3072 matrices in turn Q4_0 28.5 -> 31.7,
 * Q4_K 19.8 -> 31.7; in the cache Q4_0 53 -> 50, Q4_K 40 -> 43. Two variants that read out of order were
 * 35-40% slower than the layout before: Q4_K with d and dmin ahead of its blocks but loaded at each
 * block's end (a read going back), and Q4_0 with d after its nibbles but loaded first (a read jumping
 * ahead). Keeping each block's C in a buffer for a second pass (the minimums' old order) gained nothing
 * over the old layout. Q4_0's d stays the file's fp16, widened in registers as {@link PanamaRows.Half}
 * widens F16 weights (exactly): against floats (20 bytes per row and 32 columns), four 4096 × 8192
 * matrices in turn from memory 41.5 -> 41.8 and 39.4 -> 42.7 Gweights/s (faster in 12 and 15 of 16
 * rounds), in the cache 55.2 -> 54.9.
 * A lane's four nibbles, each the file's q in [0, 15] (value q − 8): bits 0-3 row l column j, 4-7 row
 * W+l column j, 8-11 row l column j+16, 12-15 row W+l column j+16 (a Q4_K sub-block's 32 nibbles are
 * first rearranged into Q4_0's order, column j low and j+16 high).
 *
 * <p>Why two rows in a lane: a lane times one broadcast activation then serves two rows, and the rows come
 * apart after the sums rather than before each product. Per pair j, with u the unsigned nibbles:
 * <pre>
 *   P += (v &amp; 0xFF)·x_j + (v &gt;&gt;&gt; 8)·x_j+16      the low row's nibbles plus 16 × the high row's
 *   Q += (v &gt;&gt;&gt; 4 &amp; 0xF)·x_j + (v &gt;&gt;&gt; 12)·x_j+16  the high row's
 * </pre>
 * all modulo 2^16. Then the high row's block sum Σ (u − 8)·x is Q − 8·Σx, the low row's P − 16·Q − 8·Σx:
 * exact, because the true sums fit 16 bits (|u − 8| ≤ 8, |x| ≤ 127: at most 32·8·127 = 32512) and
 * arithmetic modulo 2^16 gets any value in that range right, however far the unsigned partial sums
 * wrapped. Fifteen instructions per 128 weights, against twenty with one row per lane (four broadcasts
 * and seven shifts to sign-extend four nibbles). The block's integer sum is then scaled once in float,
 * {@code y = fma(sum, A·d_x, y)}, in block order.
 *
 * <p>The block's scale A is d (Q4_0) or d·sc (Q4_K, exact in float). Q4_K values are d·sc·q − dmin·m =
 * A·(q − 8) + (8A − dmin·m): the second part, C = 8A − dmin·m per row and block, meets the activations'
 * block sums (d_x·Σq_x, {@link Q8Activations#blockSum}) in a sum of its own, {@code o = fma(C, blockSum, o)}
 * block after block from o = 0, and the result is y + o (as ggml keeps the minimums' part apart until the
 * end). Q4_K activations are Q8_K (one d_x per 256 values), as in llama.cpp. The decode kernel
 * computes A and C from the bytes as it goes; the batch kernel once per group, when it unpacks.
 *
 * <p>Every output is computed with these operations in this order whether its token is multiplied alone
 * or three at a time, so results do not depend on the batch.
 */
final class Q4Strips extends Strips {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    private final int blocks;
    /** Quants, scales and minimums as the class comment lays them out (positions below count shorts: 2 bytes). */
    private final byte[] data;
    /** Q4_K, or Q4_0 whose A is d alone. */
    private final boolean k;
    /*
     * Where block blk starts: (blk >> superShift)·superShorts + lead + (blk & blockMask)·blockShorts; its d
     * (and dmin) at (blk >> superShift)·superShorts. Q4_0: a "super-block" is one block (shift 0, mask 0),
     * its d (2W shorts) the lead. Q4_K: 8 blocks after d and dmin (8W shorts).
     */
    private final int superShift;
    private final int superShorts;
    private final int lead;
    private final int blockMask;
    private final int blockShorts;

    private Q4Strips(int rows, int cols, byte[] data, boolean k) {
        super(rows, cols, k ? ActivationFormat.Q8_K : ActivationFormat.Q8_0, STRIPS, HEIGHT);
        this.blocks = cols / 32;
        this.data = data;
        this.k = k;
        this.superShift = k ? 3 : 0;
        this.superShorts = k ? K_SUPER_SHORTS : Q4_0_BLOCK_SHORTS;
        this.lead = k ? 8 * W : 2 * W;
        this.blockMask = k ? 7 : 0;
        this.blockShorts = k ? K_BLOCK_SHORTS : 0;
    }

    /** Shorts of a block's nibbles. */
    private static final int QUANT_SHORTS = 16 * W;
    /** Q4_0: shorts per block, 2W halves of d (the file's fp16) then the nibbles. */
    private static final int Q4_0_BLOCK_SHORTS = QUANT_SHORTS + 2 * W;
    /** Q4_K: shorts per block, the nibbles then 2W bytes of sc and 2W of m. */
    private static final int K_BLOCK_SHORTS = QUANT_SHORTS + 2 * W;
    /** Q4_K: shorts per super-block, 2W floats of d and of dmin, then 8 blocks. */
    private static final int K_SUPER_SHORTS = 8 * W + 8 * K_BLOCK_SHORTS;

    /** Where block {@code blk} (strip after strip) starts in {@link #data}. */
    private int blockAt(int blk) {
        return (blk >> superShift) * superShorts + lead + (blk & blockMask) * blockShorts;
    }

    /** Where the d (2W halves, Q4_0; 2W floats, Q4_K, then dmin) that block {@code blk} takes start in {@link #data}. */
    private int dAt(int blk) {
        return (blk >> superShift) * superShorts;
    }

    /**
     * The packed copy of a Q4_0 or Q4_K matrix, or null when it is too large for one byte array (over about
     * 3.2·2^30 values of Q4_0, 3.4·2^30 of Q4_K).
     */
    static PackedMatrix of(Tensor w) {
        boolean k = w.type() == GgmlType.Q4_K;
        if ((w.type() != GgmlType.Q4_0 && !k) || W < 8) {
            return null;
        }
        int rows = w.rows();
        int blocks = w.cols() / 32;
        long size = (long) padded(rows, HEIGHT) / HEIGHT * (k ? (long) (blocks / 8) * K_SUPER_SHORTS : (long) blocks * Q4_0_BLOCK_SHORTS);
        if (size > Integer.MAX_VALUE / 2 - 64) {
            return null;
        }
        byte[] data = new byte[2 * (int) size + BYTES_PAST];
        Q4Strips packed = new Q4Strips(rows, w.cols(), data, k);
        byte[] quants = new byte[16];
        for (int r = 0; r < rows; r++) {
            long row = r * w.rowBytes();
            int strip = r / HEIGHT;
            int inStrip = r % HEIGHT;   // the row's place in its strip's runs of 2W values
            int shift = 4 * (inStrip / W);   // rows W .. 2W take the second nibble of each byte
            int lane = r % W;
            for (int b = 0; b < blocks; b++) {
                int blk = strip * blocks + b;
                int at = packed.blockAt(blk);
                int d = packed.dAt(blk);
                if (k) {
                    // Super-block b/8, sub-block j: fp16 d and dmin, 12 bytes of 6-bit scales and mins, then
                    // 128 bytes where sub-blocks 2g and 2g+1 are the low and high nibbles of bytes 32g ..
                    long sb = row + 144L * (b / 8);
                    int j = b % 8;
                    int w0 = w.data().get(U32, sb + 4);
                    int w1 = w.data().get(U32, sb + 8);
                    int w2 = w.data().get(U32, sb + 12);
                    data[2 * (at + QUANT_SHORTS) + inStrip] = (byte) PanamaRows.Q4_K.scale(w0, w2, j);
                    data[2 * (at + QUANT_SHORTS) + HEIGHT + inStrip] = (byte) PanamaRows.Q4_K.min(w1, w2, j);
                    if (j == 0) {
                        putFloat(data, 2 * d + 4 * inStrip, Float.float16ToFloat(w.data().get(U16, sb)));
                        putFloat(data, 2 * (d + 4 * W) + 4 * inStrip, Float.float16ToFloat(w.data().get(U16, sb + 2)));
                    }
                    long q = sb + 16 + 32L * (j / 2);
                    int half = 4 * (j % 2);
                    for (int i = 0; i < 16; i++) {
                        int lo = (w.data().get(ValueLayout.JAVA_BYTE, q + i) >> half) & 0xF;
                        int hi = (w.data().get(ValueLayout.JAVA_BYTE, q + i + 16) >> half) & 0xF;
                        quants[i] = (byte) (lo | hi << 4);
                    }
                } else {
                    long src = row + 18L * b;
                    putShort(data, 2 * d + 2 * inStrip, w.data().get(U16, src));   // d as the file has it: fp16
                    MemorySegment.copy(w.data(), ValueLayout.JAVA_BYTE, src + 2, quants, 0, 16);
                }
                for (int j = 0; j < 16; j++) {
                    int low = quants[j] & 0xF;          // column j
                    int high = quants[j] >> 4 & 0xF;    // column j + 16
                    int pair = (low | high << 8) << shift;   // a little-endian short
                    orShort(data, 2 * (at + j * W + lane), pair);
                }
            }
        }
        return packed;
    }

    /** Rows per strip: two in each 16-bit lane. */
    private static final int HEIGHT = 2 * W;


    /*
     * The kernels below compute the same per token: for each block an exact 16-bit integer sum, then
     * y = fma(sum, d_w·d_x, y). one() reads the packed nibbles (decode: each weight byte is used once);
     * tile() reads weights unpacked once per group into signed 16-bit values, one row per lane, and shares
     * each loaded vector among TOKENS tokens and each broadcast activation among four runs of W rows
     * (two strips).
     * Vectors stay in local variables of one method: passed to a helper that C2 does not inline, they
     * would be boxed on the heap.
     */

    /** Strips per group of the batch kernel: 4W rows. */
    private static final int STRIPS = 2;

    /*
     * The decode kernel: one method per type, with no test of the type inside. Float vectors that a branch
     * on the type updated (the offsets' sums, once in one method for both types) were at times boxed on
     * the heap by C2, after some histories of compilation: 20 KB a token in 1 of 2 runs of the suite in one
     * random order at 512 bits. Q4_0 keeps its float sums in y itself (one load, fma and store per block
     * and run of HALF rows, as the tile did before it kept a chunk's sums apart); Q4_K keeps them in registers: in y, per block or per
     * super-block, its decode from memory measured 13% and 5% slower. Against the one method before (one
     * thread, alternating in one process, medians of 16-20 rounds, Gweights/s): four 4096 × 8192 matrices
     * in turn, from memory, Q4_0 30.9 -> 30.6 and 32.2 -> 33.0, Q4_K 38.5 -> 42.3 and 40.8 -> 41.2 (the
     * harness against itself: 32.5 -> 32.2); in the cache (1024 × 1024) Q4_0 38.6 -> 45.7 and 46.7 -> 51.8
     * (its A = d saves Q4_K's widening of sc), Q4_K 46.1 -> 46.0.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        if (k) {
            oneQ4K(s, quantized, t, y, yOff);
        } else {
            oneQ40(s, quantized, t, y, yOff);
        }
    }

    /** {@link #one} for Q4_0, whose block scale A is d alone (as unpack computes it). */
    private void oneQ40(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] eights = quantized.eightSums();
        float[] d = quantized.scales();
        // Shift counts as vectors (vpsrlvw, one instruction each): with a scalar count C2 moves the count
        // into a vector register before every shift (1.5x slower).
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector lowByte = ShortVector.broadcast(S, (short) 0xFF);
        // y: rows 0 .. HALF, HALF .. W (lanes' first row), W .. W+HALF, W+HALF .. 2W (their second row).
        int y0 = yOff, y1 = yOff + HALF, y2 = yOff + W, y3 = yOff + W + HALF;
        FloatVector.zero(F).intoArray(y, y0);
        FloatVector.zero(F).intoArray(y, y1);
        FloatVector.zero(F).intoArray(y, y2);
        FloatVector.zero(F).intoArray(y, y3);
        for (int b = 0; b < blocks; b++) {
            int base = dAt(s * blocks + b);
            int at = base + 2 * W;   // blockAt: the quants follow d
            int x = t * cols + 32 * b;
            // d of each run of HALF rows, fp16 widened as PanamaRows.Half widens F16 weights: exact.
            FloatVector d0 = ((IntVector) ByteVector.fromArray(D_HALVES, data, 2 * base).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d1 = ((IntVector) ByteVector.fromArray(D_HALVES, data, 2 * base + W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d2 = ((IntVector) ByteVector.fromArray(D_HALVES, data, 2 * base + 2 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d3 = ((IntVector) ByteVector.fromArray(D_HALVES, data, 2 * base + 3 * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            ShortVector p = ShortVector.zero(S);
            ShortVector r = ShortVector.zero(S);   // Q of the class comment
            for (int j = 0; j < 16; j++) {
                ShortVector v = ByteVector.fromArray(B, data, 2 * (at + j * W)).reinterpretAsShorts();
                short xa = q[x + j];
                short xb = q[x + j + 16];
                ShortVector low = v.and(lowByte);
                p = p.add(low.mul(xa)).add(v.lanewise(VectorOperators.LSHR, by8).mul(xb));
                r = r.add(low.lanewise(VectorOperators.LSHR, by4).mul(xa)).add(v.lanewise(VectorOperators.LSHR, by12).mul(xb));
            }
            ShortVector offset = ShortVector.broadcast(S, eights[t * blocks + b]);
            ShortVector second = r.sub(offset);
            ShortVector first = p.sub(r.lanewise(VectorOperators.LSHL, by4)).sub(offset);
            float dx = d[t * blocks + b];
            ((FloatVector) first.convertShape(VectorOperators.S2F, F, 0)).fma(d0.mul(dx), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) first.convertShape(VectorOperators.S2F, F, 1)).fma(d1.mul(dx), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) second.convertShape(VectorOperators.S2F, F, 0)).fma(d2.mul(dx), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) second.convertShape(VectorOperators.S2F, F, 1)).fma(d3.mul(dx), FloatVector.fromArray(F, y, y3)).intoArray(y, y3);
        }
    }

    /**
     * {@link #one} for Q4_K: the integer sums as {@link #oneQ40}'s with A = d·sc, their float sums in
     * registers, and the offsets' sums on their own (as the tile's {@link #addOffsets}), added at the end.
     */
    private void oneQ4K(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] eights = quantized.eightSums();
        float[] d = quantized.scales();
        float[] sums = quantized.blockSums();
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // vector shift counts, as in oneQ40
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector lowByte = ShortVector.broadcast(S, (short) 0xFF);
        FloatVector lo0 = FloatVector.zero(F);   // rows as y in oneQ40
        FloatVector hi0 = FloatVector.zero(F);
        FloatVector lo1 = FloatVector.zero(F);
        FloatVector hi1 = FloatVector.zero(F);
        FloatVector off0 = FloatVector.zero(F);   // Σ C·blockSum, by run of HALF rows as above
        FloatVector off1 = FloatVector.zero(F);
        FloatVector off2 = FloatVector.zero(F);
        FloatVector off3 = FloatVector.zero(F);
        for (int head = 0; head < blocks; head += 8) {
            int base = dAt(s * blocks + head);
            FloatVector d0 = ByteVector.fromArray(B, data, 2 * base).reinterpretAsFloats();
            FloatVector d1 = ByteVector.fromArray(B, data, 2 * (base + W)).reinterpretAsFloats();
            FloatVector d2 = ByteVector.fromArray(B, data, 2 * (base + 2 * W)).reinterpretAsFloats();
            FloatVector d3 = ByteVector.fromArray(B, data, 2 * (base + 3 * W)).reinterpretAsFloats();
            FloatVector n0 = ByteVector.fromArray(B, data, 2 * (base + 4 * W)).reinterpretAsFloats();   // dmin
            FloatVector n1 = ByteVector.fromArray(B, data, 2 * (base + 5 * W)).reinterpretAsFloats();
            FloatVector n2 = ByteVector.fromArray(B, data, 2 * (base + 6 * W)).reinterpretAsFloats();
            FloatVector n3 = ByteVector.fromArray(B, data, 2 * (base + 7 * W)).reinterpretAsFloats();
            for (int b = head; b < head + 8; b++) {
                int at = blockAt(s * blocks + b);
                int x = t * cols + 32 * b;
                ShortVector p = ShortVector.zero(S);
                ShortVector r = ShortVector.zero(S);
                for (int j = 0; j < 16; j++) {
                    ShortVector v = ByteVector.fromArray(B, data, 2 * (at + j * W)).reinterpretAsShorts();
                    short xa = q[x + j];
                    short xb = q[x + j + 16];
                    ShortVector low = v.and(lowByte);
                    p = p.add(low.mul(xa)).add(v.lanewise(VectorOperators.LSHR, by8).mul(xb));
                    r = r.add(low.lanewise(VectorOperators.LSHR, by4).mul(xa)).add(v.lanewise(VectorOperators.LSHR, by12).mul(xb));
                }
                ShortVector offset = ShortVector.broadcast(S, eights[t * blocks + b]);
                ShortVector second = r.sub(offset);
                ShortVector first = p.sub(r.lanewise(VectorOperators.LSHL, by4)).sub(offset);
                // A = sc·d for the four runs of HALF rows, times d_x, as the block's scale.
                float dx = d[t * blocks + b];
                int sc = 2 * (at + QUANT_SHORTS);
                FloatVector a0 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc).convertShape(VectorOperators.B2F, F, 0)).mul(d0);
                FloatVector a1 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d1);
                FloatVector a2 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W).convertShape(VectorOperators.B2F, F, 0)).mul(d2);
                FloatVector a3 = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(d3);
                lo0 = ((FloatVector) first.convertShape(VectorOperators.S2F, F, 0)).fma(a0.mul(dx), lo0);
                hi0 = ((FloatVector) first.convertShape(VectorOperators.S2F, F, 1)).fma(a1.mul(dx), hi0);
                lo1 = ((FloatVector) second.convertShape(VectorOperators.S2F, F, 0)).fma(a2.mul(dx), lo1);
                hi1 = ((FloatVector) second.convertShape(VectorOperators.S2F, F, 1)).fma(a3.mul(dx), hi1);
                // C = 8A − dmin·m times the block sum (m follows sc: read in order).
                FloatVector v = FloatVector.broadcast(F, sums[t * blocks + b]);
                off0 = a0.mul(8f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT).convertShape(VectorOperators.B2F, F, 0)).mul(n0)).fma(v, off0);
                off1 = a1.mul(8f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n1)).fma(v, off1);
                off2 = a2.mul(8f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + W).convertShape(VectorOperators.B2F, F, 0)).mul(n2)).fma(v, off2);
                off3 = a3.mul(8f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + W + HALF).convertShape(VectorOperators.B2F, F, 0)).mul(n3)).fma(v, off3);
            }
        }
        // The integer part's sums plus the offsets', as the tile adds them.
        lo0.add(off0).intoArray(y, yOff);
        hi0.add(off1).intoArray(y, yOff + HALF);
        lo1.add(off2).intoArray(y, yOff + W);
        hi1.add(off3).intoArray(y, yOff + W + HALF);
    }

    /**
     * Strips first and first+1 as signed 16-bit values q − 8 in {@link #unpacked}(ws), one row per lane:
     * per block, per column, the four runs of W rows side by side (rows 0 .. W and W .. 2W of strip
     * first, then of first+1), so the tile loads its weights in order. Their scales A and (Q4_K) offsets C,
     * computed as one() computes them, go to {@link #factors}(ws) in the same order.
     */
    @Override
    void unpack(int first, Workspace ws) {
        short[] w = unpacked(ws);
        float[] f = factors(ws);
        int stride = 2 * STRIPS * W;   // shorts per column of a block
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // vector shift counts, as in oneQ40
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector signs = ShortVector.broadcast(S, (short) 0x8888);
        for (int i = 0; i < STRIPS; i++) {
            for (int b = 0; b < blocks; b++) {
                int blk = (first + i) * blocks + b;
                int at = blockAt(blk);
                int out = b * 32 * stride + 2 * i * W;
                for (int j = 0; j < 16; j++) {
                    // XOR 8 on each nibble makes it the 4-bit two's complement of q − 8: shifted to the top
                    // and back arithmetically, it comes out signed.
                    ShortVector v = ByteVector.fromArray(B, data, 2 * (at + j * W)).reinterpretAsShorts().lanewise(VectorOperators.XOR, signs);
                    v.lanewise(VectorOperators.LSHL, by12).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + j * stride);
                    v.lanewise(VectorOperators.LSHL, by8).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + j * stride + W);
                    v.lanewise(VectorOperators.LSHL, by4).lanewise(VectorOperators.ASHR, by12).intoArray(w, out + (j + 16) * stride);
                    v.lanewise(VectorOperators.ASHR, by12).intoArray(w, out + (j + 16) * stride + W);
                }
                int sc = 2 * (at + QUANT_SHORTS);   // Q4_K: bytes of sc, then of m
                int da = dAt(blk);
                for (int part = 0; part < 4; part++) {   // the runs of HALF rows
                    int o = (b * 2 * STRIPS + 2 * i) * W + part * HALF;
                    if (!k) {
                        // A = d, widened as oneQ40 widens it (each branch stores its own vector: a vector
                        // chosen between two would be boxed).
                        ((IntVector) ByteVector.fromArray(D_HALVES, data, 2 * da + part * W).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                                .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f).intoArray(f, o);
                        continue;
                    }
                    FloatVector a = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + part * HALF).convertShape(VectorOperators.B2F, F, 0))
                            .mul(ByteVector.fromArray(B, data, 2 * (da + part * W)).reinterpretAsFloats());
                    a.intoArray(f, o);
                    a.mul(8f).sub(((FloatVector) ByteVector.fromArray(HALF_BYTES, data, sc + HEIGHT + part * HALF).convertShape(VectorOperators.B2F, F, 0))
                            .mul(ByteVector.fromArray(B, data, 2 * (da + (4 + part) * W)).reinterpretAsFloats())).intoArray(f, o + blocks * 2 * STRIPS * W);
                }
            }
        }
    }

    /**
     * The group's A, then (Q4_K) its C: per block 4W floats each, the runs of W rows in the order of
     * {@link #unpack}'s values.
     */
    private float[] factors(Workspace ws) {
        return ws.floats(2 * blocks * 2 * STRIPS * W);
    }

    @Override
    void tile(int first, Workspace ws, Q8Activations x, int t, float[] y, int yOff, int yStride) {
        float[] f = factors(ws);
        integerTile(unpacked(ws), f, x.wideQuants(), x.scales(), t, y, yOff, yStride, ws.sums(CHUNK * 12 * W));
        if (k) {
            addOffsets(f, x.blockSums(), t, y, yOff, yStride);
        }
    }

    /**
     * Blocks whose integer sums {@link #integerTile} keeps in memory before it scales them: 12 vectors a
     * block, 6 KB at 512 bits, in L1.
     */
    private static final int CHUNK = 8;

    /**
     * The integer part of {@link #tile}, in chunks of {@link #CHUNK} blocks: the twelve integer sums of a
     * block stay in registers while its 32 columns go by, then go to {@code sums}; {@link #scaleSums} then
     * adds the chunk's scaled sums to y.
     * Scaling each block's sums as soon as they were made (y read and written per block, the upper half of
     * each sum widened by a permute and a blend, all in one method past C2's inlining budget) took a fifth
     * of the tile's time. One thread, a Q4_0 matrix by 128 tokens through MatMul, alternating builds,
     * Gmultiply-adds/s: 2048 × 8192 66.2-67.9 -> 73.1-74.4 (83-86 with no scaling at all), 896 × 4864
     * 70.8-71.6 -> 74.1-77.2; chunks of 4 blocks 70-71, of 16 the same as 8. The integer loop is bound by
     * the vector pipes (each product a multiply and an add), which the scaling also needs: it does not
     * overlap, so it must be short.
     */
    private void integerTile(short[] w, float[] f, short[] q, float[] d, int t, float[] y, int yOff, int yStride, short[] sums) {
        int stride = 2 * STRIPS * W;
        for (int from = 0; from < blocks; from += CHUNK) {
            int to = Math.min(blocks, from + CHUNK);
            for (int b = from; b < to; b++) {
                int x0 = t * cols + 32 * b;
                int x1 = x0 + cols;
                int x2 = x1 + cols;
                ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
                ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
                ShortVector a20 = ShortVector.zero(S), a21 = ShortVector.zero(S), a22 = ShortVector.zero(S);
                ShortVector a30 = ShortVector.zero(S), a31 = ShortVector.zero(S), a32 = ShortVector.zero(S);
                int wb = b * 32 * stride;
                for (int c = 0; c < 32; c++) {
                    ShortVector v0 = ShortVector.fromArray(S, w, wb + c * stride);
                    ShortVector v1 = ShortVector.fromArray(S, w, wb + c * stride + W);
                    ShortVector v2 = ShortVector.fromArray(S, w, wb + c * stride + 2 * W);
                    ShortVector v3 = ShortVector.fromArray(S, w, wb + c * stride + 3 * W);
                    ShortVector x = ShortVector.broadcast(S, q[x0 + c]);
                    a00 = a00.add(v0.mul(x));
                    a10 = a10.add(v1.mul(x));
                    a20 = a20.add(v2.mul(x));
                    a30 = a30.add(v3.mul(x));
                    x = ShortVector.broadcast(S, q[x1 + c]);
                    a01 = a01.add(v0.mul(x));
                    a11 = a11.add(v1.mul(x));
                    a21 = a21.add(v2.mul(x));
                    a31 = a31.add(v3.mul(x));
                    x = ShortVector.broadcast(S, q[x2 + c]);
                    a02 = a02.add(v0.mul(x));
                    a12 = a12.add(v1.mul(x));
                    a22 = a22.add(v2.mul(x));
                    a32 = a32.add(v3.mul(x));
                }
                // Run i, token j at (3i + j)·W of the block's 12W shorts.
                int o = (b - from) * 12 * W;
                a00.intoArray(sums, o);
                a01.intoArray(sums, o + W);
                a02.intoArray(sums, o + 2 * W);
                a10.intoArray(sums, o + 3 * W);
                a11.intoArray(sums, o + 4 * W);
                a12.intoArray(sums, o + 5 * W);
                a20.intoArray(sums, o + 6 * W);
                a21.intoArray(sums, o + 7 * W);
                a22.intoArray(sums, o + 8 * W);
                a30.intoArray(sums, o + 9 * W);
                a31.intoArray(sums, o + 10 * W);
                a32.intoArray(sums, o + 11 * W);
            }
            scaleSums(f, sums, d, t, from, to, y, yOff, yStride);
        }
    }

    /**
     * Adds the integer sums of blocks from .. to (in {@code sums} as {@link #integerTile} leaves them) to
     * the tile's outputs, block after block: per run of W rows and token, y = fma(sum, A·d_x, y) in each
     * half, as {@link #one} does, with y in registers for the whole chunk. A method of its own: written
     * into integerTile(), even a cheaper widening (shifts within 32-bit lanes, 4 Vector API calls a sum
     * instead of 2) left the loop's own adds as calls that C2 did not inline (1.4 Gmultiply-adds/s, JFR:
     * ShortVector.add and VectorSupport.binaryOp out of line).
     */
    private void scaleSums(float[] f, short[] sums, float[] d, int t, int from, int to, float[] y, int yOff, int yStride) {
        for (int i = 0; i < 2 * STRIPS; i++) {   // the group's runs of W rows
            int y0 = yOff + i * W;
            int y1 = y0 + yStride;
            int y2 = y1 + yStride;
            FloatVector lo0 = FloatVector.fromArray(F, y, y0), hi0 = FloatVector.fromArray(F, y, y0 + HALF);
            FloatVector lo1 = FloatVector.fromArray(F, y, y1), hi1 = FloatVector.fromArray(F, y, y1 + HALF);
            FloatVector lo2 = FloatVector.fromArray(F, y, y2), hi2 = FloatVector.fromArray(F, y, y2 + HALF);
            for (int b = from; b < to; b++) {
                int a = b * 2 * STRIPS * W + i * W;   // the block's A for run i (factors())
                FloatVector lo = FloatVector.fromArray(F, f, a);
                FloatVector hi = FloatVector.fromArray(F, f, a + HALF);
                int s = (b - from) * 12 * W + 3 * i * W;
                // Each half of a sum loaded on its own: the load and the widening to ints are one instruction with
                // AVX-512. Widened to ints, then converted to floats, as PanamaRows converts its halves (the same
                // instructions as S2F; a conversion from this half-width short type to floats would be new to the
                // Vector API's shared code in the process).
                float d0 = d[t * blocks + b];
                lo0 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d0), lo0);
                hi0 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s + HALF).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d0), hi0);
                float d1 = d[(t + 1) * blocks + b];
                lo1 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s + W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d1), lo1);
                hi1 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s + W + HALF).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d1), hi1);
                float d2 = d[(t + 2) * blocks + b];
                lo2 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s + 2 * W).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d2), lo2);
                hi2 = ((FloatVector) ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, s + 2 * W + HALF).convertShape(VectorOperators.S2I, I, 0)).convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d2), hi2);
            }
            lo0.intoArray(y, y0);
            hi0.intoArray(y, y0 + HALF);
            lo1.intoArray(y, y1);
            hi1.intoArray(y, y1 + HALF);
            lo2.intoArray(y, y2);
            hi2.intoArray(y, y2 + HALF);
        }
    }

    /**
     * The Q4_K offsets of the tile's outputs, as oneQ4K adds them: summed on their own, block after block, then
     * added to the integer part's results. A
     * method of its own: inside integerTile() it made C2 allocate the tile's registers worse (Q4_K batches ran at
     * two thirds of Q4_0's speed). Strip by strip, its six sums stay in registers over all blocks (blocks
     * ascending, as in oneQ4K): reading and writing y at every block made this pass a fifth of Q4_K's batch
     * time, bound by the stores.
     */
    private void addOffsets(float[] f, float[] blockSums, int t, float[] y, int yOff, int yStride) {
        for (int i = 0; i < 2 * STRIPS; i++) {   // the group's runs of W rows, as in integerTile()
            int o0 = yOff + i * W;
            int o1 = o0 + yStride;
            int o2 = o1 + yStride;
            FloatVector lo0 = FloatVector.zero(F), hi0 = FloatVector.zero(F);
            FloatVector lo1 = FloatVector.zero(F), hi1 = FloatVector.zero(F);
            FloatVector lo2 = FloatVector.zero(F), hi2 = FloatVector.zero(F);
            int c = blocks * 2 * STRIPS * W + i * W;   // C of run i (factors())
            for (int b = 0; b < blocks; b++) {
                FloatVector lo = FloatVector.fromArray(F, f, c + b * 2 * STRIPS * W);
                FloatVector hi = FloatVector.fromArray(F, f, c + b * 2 * STRIPS * W + HALF);
                FloatVector v = FloatVector.broadcast(F, blockSums[t * blocks + b]);
                lo0 = lo.fma(v, lo0);
                hi0 = hi.fma(v, hi0);
                v = FloatVector.broadcast(F, blockSums[(t + 1) * blocks + b]);
                lo1 = lo.fma(v, lo1);
                hi1 = hi.fma(v, hi1);
                v = FloatVector.broadcast(F, blockSums[(t + 2) * blocks + b]);
                lo2 = lo.fma(v, lo2);
                hi2 = hi.fma(v, hi2);
            }
            FloatVector.fromArray(F, y, o0).add(lo0).intoArray(y, o0);
            FloatVector.fromArray(F, y, o0 + HALF).add(hi0).intoArray(y, o0 + HALF);
            FloatVector.fromArray(F, y, o1).add(lo1).intoArray(y, o1);
            FloatVector.fromArray(F, y, o1 + HALF).add(hi1).intoArray(y, o1 + HALF);
            FloatVector.fromArray(F, y, o2).add(lo2).intoArray(y, o2);
            FloatVector.fromArray(F, y, o2 + HALF).add(hi2).intoArray(y, o2 + HALF);
        }
    }
}
