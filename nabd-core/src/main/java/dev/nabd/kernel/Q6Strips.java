package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A Q6_K matrix repacked into strips of 2W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with
 * AVX2), two rows in each 16-bit lane, for integer products with Q8_K {@link Q8Activations}, as llama.cpp
 * multiplies them. Loaded only through {@link PackedMatrix#of}.
 *
 * <p>Layout: one Java array of shorts (int indices let C2 hoist the range checks that long offsets into
 * a memory segment keep in the loop), strip after strip, and in a strip super-block after super-block of
 * 256 columns, everything in the order the decode kernel reads it:
 * <pre>
 *   16 sub-blocks g, each:
 *     scales: 2W bytes          byte r = row r's signed 8-bit scale of columns 16g .. 16g+15
 *     4 groups of 4 columns, each 3 vectors of W shorts, lane l of vector i:
 *       bits 0-11:  the field of column i (i &lt; 3): u_A + 64·u_B, where u = q + 32 in [0, 63], of rows
 *                   A = l and B = W + l
 *       bits 12-15: nibble i of the field of column 3
 *   d: 2W floats                d of each row's super-block (little-endian, two shorts each)
 * </pre>
 * 212 bytes per row and 256 columns, the file's 210 but for d kept as a float. Decoding one token reads
 * every byte once, from memory: size is time. The layout before kept a byte per value (u_A + 256·q_B,
 * 276 bytes, no masks: load, broadcast, shift, two multiplies, two adds per column); this one takes one
 * load fewer and ten operations more per four columns (a mask for each of the first three, the fourth
 * column's field put together from three nibbles), and is 21% slower in the cache but faster from memory,
 * where the weights of every decode step come from. Measured (one thread, alternating with the layout
 * before in one process, Gweights/s, medians of 8-12 rounds): a 4096 × 16384 matrix 19.7 -> 28.5, forty
 * 1024 × 3072 in turn 20.5 -> 30.5, qwen3-0.6b's output matrix (151936 × 1024) 25.2 -> 32.1; in the cache
 * (1024 × 1024) 43.3 -> 34.2. {@code nabd bench} tg64, 1 thread, alternating: llama3.2-1b Q4_K_M 21.8 ->
 * 25.0 t/s (means of four), Q4_0 24.6 -> 28.8 (three): the output matrix of both is Q6_K.
 *
 * <p>Per column, one broadcast activation x and the field f serve both rows of a lane:
 * <pre>
 *   P += f·x             = Σ u_A·x + 64·Σ u_B·x   modulo 2^16
 *   Q += (f &gt;&gt;&gt; 6)·x     = Σ u_B·x
 * </pre>
 * over eight columns; then row A's sum of (q − 32)·x is P − 64·Q − 32·Σx and row B's Q − 32·Σx. Exact:
 * the true sums over eight columns fit 16 bits (|8·32·127| = 32512), and arithmetic modulo 2^16 gets any
 * value in that range right however far the partial sums of unsigned values wrapped. Sixteen columns would
 * not fit (|16·32·127| = 65024): a sub-block's two halves are widened to 32 bits before they meet the
 * scale.
 *
 * <p>Arithmetic, per row and super-block, as ggml's {@code vec_dot_q6_K_q8_K} states it: the integer
 * {@code Σ_g scale_g · Σ_{c in g} (q_c − 32)·x_c}, then {@code y = fma(sum, d_w·d_x, y)} super-block after
 * super-block (the whole sum is at most 16·128·65024 &lt; 2^31).
 *
 * <p>A batch of three tokens or more unpacks a strip to signed 16-bit values, one row per lane, and runs it
 * by three tokens at a time ({@link #tile}), with the same integer sums and the same float operations per
 * output as a token alone ({@link #one}): a token's result is the same bits alone or batched.
 */
final class Q6Strips extends Strips {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int SUPER = 256;
    /** HALF bytes as shorts: a run of HALF rows' scales. */
    private static final VectorSpecies<Short> HALF_SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(8 * HALF));
    /** Rows per strip: two in each 16-bit lane. */
    private static final int HEIGHT = 2 * W;

    private final int supers;
    /** Scales, quants and d as the class comment lays them out: {@link #BLOCK_SHORTS} per super-block of a strip. */
    private final short[] data;

    private Q6Strips(int rows, int cols, short[] data) {
        super(rows, cols, ActivationFormat.Q8_K, 1, HEIGHT);
        this.supers = cols / SUPER;
        this.data = data;
    }

    /** Shorts per sub-block: 2W bytes of scales, then 4 groups of 4 columns in 3 vectors of W shorts. */
    private static final int SUB_SHORTS = W + 12 * W;
    /** Where a super-block's d (2W floats) starts, in shorts from its first sub-block. */
    private static final int DS = 16 * SUB_SHORTS;
    /** Shorts per super-block of a strip. */
    private static final int BLOCK_SHORTS = DS + 4 * W;

    /** The packed copy of a Q6_K matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        long size = (long) padded(w.rows(), HEIGHT) / HEIGHT * (w.cols() / SUPER) * BLOCK_SHORTS;
        if (w.type() != GgmlType.Q6_K || W < 16 || size > Integer.MAX_VALUE - 64) {
            return null;
        }
        int rows = w.rows();
        int supers = w.cols() / SUPER;
        short[] data = new short[(int) size];
        MemorySegment in = w.data();
        int[] q = new int[SUPER];   // one super-block's values, q − 32
        for (int r = 0; r < rows; r++) {
            int inStrip = r % HEIGHT;
            int lane = r % W;
            boolean rowB = inStrip >= W;   // bits 6-11 of the lanes' fields
            for (int b = 0; b < supers; b++) {
                // The file's super-block: ql[128] low nibbles, qh[64] 2-bit high parts, int8 scales[16], fp16 d.
                // In half n, byte l of ql (and l+32) with byte l of qh give values 128n + l, +32, +64, +96.
                long src = r * w.rowBytes() + 210L * b;
                int base = ((r / HEIGHT) * supers + b) * BLOCK_SHORTS;
                // d and the scales as the vectors will read them, little-endian: float i in shorts 2i and
                // 2i+1, byte j in the low (even j) or high byte of short j/2.
                int bits = Float.floatToRawIntBits(Float.float16ToFloat(in.get(U16, src + 208)));
                data[base + DS + 2 * inStrip] = (short) bits;
                data[base + DS + 2 * inStrip + 1] = (short) (bits >>> 16);
                for (int g = 0; g < 16; g++) {
                    int at = base + g * SUB_SHORTS + inStrip / 2;
                    int scale = (in.get(ValueLayout.JAVA_BYTE, src + 192 + g) & 0xFF) << 8 * (inStrip % 2);
                    data[at] = (short) (data[at] | scale);
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
                for (int c = 0; c < SUPER; c++) {
                    int k = c % 16;   // the column in its sub-block: group k/4, place k%4 in the group
                    int group = base + c / 16 * SUB_SHORTS + W + k / 4 * 3 * W + lane;
                    int field = rowB ? (q[c] + 32) << 6 : q[c] + 32;   // u of row A in bits 0-5, of row B in 6-11
                    if (k % 4 < 3) {
                        data[group + k % 4 * W] |= (short) field;
                    } else {
                        for (int n = 0; n < 3; n++) {   // the fourth column: its field's nibbles n atop vectors n
                            data[group + n * W] |= (short) ((field >> 4 * n & 0xF) << 12);
                        }
                    }
                }
            }
        }
        return new Q6Strips(rows, w.cols(), data);
    }

    /**
     * One token through strip {@code s}: y[yOff .. yOff+2W). Per half sub-block of eight columns, P and Q
     * of the class comment in two 16-bit accumulators; rows A and B come apart, and the two halves meet in
     * 32 bits with the scale (lanes 0 .. HALF in {@code Lo} sums, HALF .. W in {@code Hi} ones), and each
     * super-block's total meets d in float, added to y. Vectors stay in local variables of this one
     * method: passed to a helper C2 does not inline, they would be boxed on the heap.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        short[] q = quantized.wideQuants();
        short[] octets = quantized.octetSums();
        float[] d = quantized.scales();
        // Shift counts and masks as vectors (see Q4Strips.oneQ40).
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);
        ShortVector by6 = ShortVector.broadcast(S, (short) 6);
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector field = ShortVector.broadcast(S, (short) 0xFFF);
        ShortVector nibble1 = ShortVector.broadcast(S, (short) 0xF0);
        ShortVector nibble2 = ShortVector.broadcast(S, (short) 0xF00);
        // The rows' float sums (y[yOff ..] rows 0 .. HALF, HALF .. W: the lanes' row A; W .. W+HALF,
        // W+HALF .. 2W: their row B) live in y itself, one load, fma and store per super-block. Kept in
        // vectors across this loop nest, C2 at times boxed them for good, after some JIT histories: 4-400 KB
        // a token at 256 bits in 1 of 4-10 runs of BatchInvarianceTest, PackedMatrixTest, NoAllocationTest;
        // 0 of 20 since.
        FloatVector.zero(F).intoArray(y, yOff);
        FloatVector.zero(F).intoArray(y, yOff + HALF);
        FloatVector.zero(F).intoArray(y, yOff + W);
        FloatVector.zero(F).intoArray(y, yOff + W + HALF);
        for (int b = 0; b < supers; b++) {
            int base = (s * supers + b) * BLOCK_SHORTS;
            int x = t * cols + SUPER * b;
            IntVector sumLo0 = IntVector.zero(I);
            IntVector sumHi0 = IntVector.zero(I);
            IntVector sumLo1 = IntVector.zero(I);
            IntVector sumHi1 = IntVector.zero(I);
            for (int g = 0; g < 16; g++) {
                // The scales first: they lie before the quants, so the reads only go forward (see Q4Strips).
                // Each run of HALF rows' scales is loaded on its own, as scaleSums() loads them, rather than all
                // 2W at once and widened by parts 1-3 (slices, as Strips.UPPER says). Measured together with UPPER,
                // at 512 bits (one thread, alternating with the kernel before in one process): from memory,
                // a 4096 × 16384 matrix, faster in 29 of 36 rounds (the three runs' medians +11%, +14%, +3%);
                // in the cache, a 1024 × 1024 one, slower in 9 of 12 (median −4%). Alone, the small loads
                // had measured slower from memory (ea31b77): the gain may be UPPER's.
                int scales = base + g * SUB_SHORTS;
                IntVector sc0 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc2 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc3 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                // The sub-block's exact sums per run of HALF rows, its two halves added in 32 bits.
                IntVector a0 = IntVector.zero(I), a1 = IntVector.zero(I), b0 = IntVector.zero(I), b1 = IntVector.zero(I);
                for (int h = 0; h < 2; h++) {   // halves of eight columns: two groups of four
                    ShortVector p = ShortVector.zero(S);
                    ShortVector r = ShortVector.zero(S);   // Q of the class comment
                    for (int m = 2 * h; m < 2 * h + 2; m++) {
                        int at = scales + W + 3 * W * m;
                        int c = x + 16 * g + 4 * m;
                        ShortVector l0 = ShortVector.fromArray(S, data, at);
                        ShortVector l1 = ShortVector.fromArray(S, data, at + W);
                        ShortVector l2 = ShortVector.fromArray(S, data, at + 2 * W);
                        ShortVector f = l0.and(field);
                        p = p.add(f.mul(q[c]));
                        r = r.add(f.lanewise(VectorOperators.LSHR, by6).mul(q[c]));
                        f = l1.and(field);
                        p = p.add(f.mul(q[c + 1]));
                        r = r.add(f.lanewise(VectorOperators.LSHR, by6).mul(q[c + 1]));
                        f = l2.and(field);
                        p = p.add(f.mul(q[c + 2]));
                        r = r.add(f.lanewise(VectorOperators.LSHR, by6).mul(q[c + 2]));
                        f = l0.lanewise(VectorOperators.LSHR, by12).or(l1.lanewise(VectorOperators.LSHR, by8).and(nibble1))
                                .or(l2.lanewise(VectorOperators.LSHR, by4).and(nibble2));
                        p = p.add(f.mul(q[c + 3]));
                        r = r.add(f.lanewise(VectorOperators.LSHR, by6).mul(q[c + 3]));
                    }
                    // Row A: P − 64·Q − 32·Σx; row B: Q − 32·Σx.
                    short octet = octets[(x + 16 * g + 8 * h) / 8];
                    ShortVector rowA = p.sub(r.lanewise(VectorOperators.LSHL, by6)).sub(octet);
                    ShortVector rowB = r.sub(octet);
                    a0 = a0.add((IntVector) rowA.convertShape(VectorOperators.S2I, I, 0));
                    a1 = a1.add((IntVector) rowA.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0));
                    b0 = b0.add((IntVector) rowB.convertShape(VectorOperators.S2I, I, 0));
                    b1 = b1.add((IntVector) rowB.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0));
                }
                sumLo0 = a0.mul(sc0).add(sumLo0);
                sumHi0 = a1.mul(sc1).add(sumHi0);
                sumLo1 = b0.mul(sc2).add(sumLo1);
                sumHi1 = b1.mul(sc3).add(sumHi1);
            }
            float dx = d[t * (cols / Q8Activations.BLOCK) + 8 * b];
            ((FloatVector) sumLo0.convertShape(VectorOperators.I2F, F, 0)).fma(ShortVector.fromArray(S, data, base + DS).reinterpretAsFloats().mul(dx),
                    FloatVector.fromArray(F, y, yOff)).intoArray(y, yOff);
            ((FloatVector) sumHi0.convertShape(VectorOperators.I2F, F, 0)).fma(ShortVector.fromArray(S, data, base + DS + W).reinterpretAsFloats().mul(dx),
                    FloatVector.fromArray(F, y, yOff + HALF)).intoArray(y, yOff + HALF);
            ((FloatVector) sumLo1.convertShape(VectorOperators.I2F, F, 0)).fma(ShortVector.fromArray(S, data, base + DS + 2 * W).reinterpretAsFloats().mul(dx),
                    FloatVector.fromArray(F, y, yOff + W)).intoArray(y, yOff + W);
            ((FloatVector) sumHi1.convertShape(VectorOperators.I2F, F, 0)).fma(ShortVector.fromArray(S, data, base + DS + 3 * W).reinterpretAsFloats().mul(dx),
                    FloatVector.fromArray(F, y, yOff + W + HALF)).intoArray(y, yOff + W + HALF);
        }
    }

    /**
     * Strip {@code first} as signed 16-bit values in {@code w}, one row per lane: column c's rows A at
     * c·2W and rows B at c·2W + W, so the tile loads its weights in order and without shifts.
     */
    @Override
    void unpack(int first, Workspace ws) {
        short[] w = unpacked(ws);
        ShortVector by4 = ShortVector.broadcast(S, (short) 4);   // as in one()
        ShortVector by6 = ShortVector.broadcast(S, (short) 6);
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector by12 = ShortVector.broadcast(S, (short) 12);
        ShortVector field = ShortVector.broadcast(S, (short) 0xFFF);
        ShortVector nibble1 = ShortVector.broadcast(S, (short) 0xF0);
        ShortVector nibble2 = ShortVector.broadcast(S, (short) 0xF00);
        ShortVector low6 = ShortVector.broadcast(S, (short) 0x3F);
        ShortVector thirtyTwo = ShortVector.broadcast(S, (short) 32);
        for (int m = 0; m < cols / 4; m++) {   // groups of four columns, after each sub-block's 2W bytes of scales
            int g = m / 4;
            int at = first * supers * BLOCK_SHORTS + (g / 16) * BLOCK_SHORTS + (g % 16) * SUB_SHORTS + W + m % 4 * 3 * W;
            int c = 4 * m * HEIGHT;   // column 4m's rows A, then rows B
            ShortVector l0 = ShortVector.fromArray(S, data, at);
            ShortVector l1 = ShortVector.fromArray(S, data, at + W);
            ShortVector l2 = ShortVector.fromArray(S, data, at + 2 * W);
            ShortVector f = l0.and(field);
            f.and(low6).sub(thirtyTwo).intoArray(w, c);
            f.lanewise(VectorOperators.LSHR, by6).sub(thirtyTwo).intoArray(w, c + W);
            f = l1.and(field);
            f.and(low6).sub(thirtyTwo).intoArray(w, c + HEIGHT);
            f.lanewise(VectorOperators.LSHR, by6).sub(thirtyTwo).intoArray(w, c + HEIGHT + W);
            f = l2.and(field);
            f.and(low6).sub(thirtyTwo).intoArray(w, c + 2 * HEIGHT);
            f.lanewise(VectorOperators.LSHR, by6).sub(thirtyTwo).intoArray(w, c + 2 * HEIGHT + W);
            f = l0.lanewise(VectorOperators.LSHR, by12).or(l1.lanewise(VectorOperators.LSHR, by8).and(nibble1))
                    .or(l2.lanewise(VectorOperators.LSHR, by4).and(nibble2));
            f.and(low6).sub(thirtyTwo).intoArray(w, c + 3 * HEIGHT);
            f.lanewise(VectorOperators.LSHR, by6).sub(thirtyTwo).intoArray(w, c + 3 * HEIGHT + W);
        }
    }

    /**
     * Tokens t .. t+2 through strip {@code first} (unpacked in {@link #unpacked}(ws)); token t+j's results
     * go to y[yOff + j·yStride ..]. Each column loaded serves three tokens and each activation broadcast
     * both rows of the lanes. The six 16-bit sums cover eight columns (half a sub-block) and go to
     * {@code sums}, 32 runs of eight columns a super-block; {@link #scaleSums} then takes them to 32 bits
     * and through the scales. Each run of 8 columns met its scale in the loop before (a 16-bit sum's
     * upper half widened by a permute and a blend, twelve 32-bit multiplies per 8 columns, in one method
     * past C2's inlining budget). One thread, a Q6_K matrix by 128 tokens through MatMul, alternating
     * builds, Gmultiply-adds/s, cols × rows: 4864 × 896 (qwen2.5's ffn_down) 40.7-46.4 -> 52.0-54.7;
     * 8192 × 2048 (llama3.2's) 48.4-50.7 -> 45.1-55.3 (the same within the noise in one session, 10%
     * faster in another).
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        short[] w = unpacked(ws);
        short[] q = quantized.wideQuants();
        short[] sums = ws.sums(SUPER / 8 * 6 * W);
        for (int b = 0; b < supers; b++) {
            int x0 = t * cols + SUPER * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            for (int from = 0; from < SUPER; from += 8) {
                ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
                ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
                for (int k = from; k < from + 8; k++) {
                    int col = (SUPER * b + k) * HEIGHT;
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
                // Rows A then B, each by token, at 6W shorts per run of 8 columns.
                int o = from / 8 * 6 * W;
                a00.intoArray(sums, o);
                a01.intoArray(sums, o + W);
                a02.intoArray(sums, o + 2 * W);
                a10.intoArray(sums, o + 3 * W);
                a11.intoArray(sums, o + 4 * W);
                a12.intoArray(sums, o + 5 * W);
            }
            scaleSums(first, b, sums, quantized.scales(), t, y, yOff, yStride);
        }
    }

    /**
     * Super-block b of the tile from its 16-bit sums (as {@link #tile} leaves them): per run of HALF rows
     * and token, the 32-bit Σ_g sc_g·(h0 + h1) over the sub-block's two runs of 8 columns h0, h1 (exact
     * integers, so the sums of {@link #one}), then y = fma(sum, d_w·d_x, y) as one() does, once per
     * super-block. A method of its own, as Q4Strips' scaling (see there).
     */
    private void scaleSums(int first, int b, short[] sums, float[] d, int t, float[] y, int yOff, int yStride) {
        int base = (first * supers + b) * BLOCK_SHORTS;
        int blocks = cols / Q8Activations.BLOCK;
        float d0 = d[t * blocks + 8 * b];
        float d1 = d[(t + 1) * blocks + 8 * b];
        float d2 = d[(t + 2) * blocks + 8 * b];
        for (int part = 0; part < 4; part++) {   // rows A lanes 0 .. HALF and HALF .. W, then rows B
            IntVector s0 = IntVector.zero(I), s1 = IntVector.zero(I), s2 = IntVector.zero(I);
            int at = part / 2 * 3 * W + part % 2 * HALF;   // token 0's sum of this run, in a run of 8 columns
            for (int g = 0; g < 16; g++) {
                IntVector sc = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, base + g * SUB_SHORTS + part * HALF / 2)
                        .reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                int a = 2 * g * 6 * W + at;   // the sub-block's first 8 columns; its second 6W further
                s0 = ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a).convertShape(VectorOperators.S2I, I, 0))
                        .add((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a + 6 * W).convertShape(VectorOperators.S2I, I, 0)).mul(sc).add(s0);
                s1 = ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a + W).convertShape(VectorOperators.S2I, I, 0))
                        .add((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a + 7 * W).convertShape(VectorOperators.S2I, I, 0)).mul(sc).add(s1);
                s2 = ((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a + 2 * W).convertShape(VectorOperators.S2I, I, 0))
                        .add((IntVector) ShortVector.fromArray(SUM_HALVES, sums, a + 8 * W).convertShape(VectorOperators.S2I, I, 0)).mul(sc).add(s2);
            }
            FloatVector dw = ShortVector.fromArray(S, data, base + DS + part * W).reinterpretAsFloats();
            int o = yOff + part * HALF;
            ((FloatVector) s0.convertShape(VectorOperators.I2F, F, 0)).fma(dw.mul(d0), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            o += yStride;
            ((FloatVector) s1.convertShape(VectorOperators.I2F, F, 0)).fma(dw.mul(d1), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            o += yStride;
            ((FloatVector) s2.convertShape(VectorOperators.I2F, F, 0)).fma(dw.mul(d2), FloatVector.fromArray(F, y, o)).intoArray(y, o);
        }
    }
}
