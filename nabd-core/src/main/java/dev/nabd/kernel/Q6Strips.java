package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
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
 *     scales: 2W bytes        byte r = row r's signed 8-bit scale of columns 16g .. 16g+15
 *     quants: 16 × W shorts   column c: lane l = 256·q_B + u_A, where u_A = q + 32 in [0, 63] of row A = l
 *                             and q_B in [−32, 31] of row B = W + l
 *   d: 2W floats              d of each row's super-block (little-endian, two shorts each)
 * </pre>
 * One stream in reading order matters from memory (one thread, a 4096 × 16384 matrix, medians of 12-20
 * alternations in one process against the layout before, one row per lane in three arrays): with the
 * scales and d in arrays of their own, 11.2 against 11.1 Gweights/s; in one stream in reading order,
 * 14.7 against 12.7; in one array but each super-block's scales and d ahead of its quants (the reads
 * jumping back and forth), 7.2 against 11.6. In the cache, 41 against 36.
 * A byte per 6-bit value makes the copy 31% larger than the file's blocks (276 bytes per row and 256
 * columns against 210), but the values need no masks: per column, one load and one broadcast activation
 * x serve both rows, and
 * <pre>
 *   P += v·x             = Σ u_A·x + 256·Σ q_B·x   modulo 2^16
 *   Q += (v &gt;&gt; 8)·x      = Σ q_B·x                  (arithmetic shift: exactly q_B)
 * </pre>
 * over eight columns; then row B's sum is Q and row A's is P − 256·Q − 32·Σx. Exact: the true sums of
 * (q − 32)·x over eight columns fit 16 bits (|8·32·127| = 32512), and arithmetic modulo 2^16 gets any
 * value in that range right however far the partial sums of unsigned values wrapped. Seven instructions
 * per 64 weights (load, broadcast, shift, two multiplies, two adds), where one row per lane with columns
 * c and c+8 in a lane's two bytes took ten (two broadcasts and three shifts to sign-extend both bytes).
 * Sixteen columns would not fit (|16·32·127| = 65024): a sub-block's two halves are widened to 32 bits
 * before they meet the scale.
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
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int SUPER = 256;
    /** HALF bytes as shorts: a run of HALF rows' scales. */
    private static final VectorSpecies<Short> HALF_SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(8 * HALF));
    /** Rows per strip: two in each 16-bit lane. */
    private static final int HEIGHT = 2 * W;
    /**
     * Swaps a 16-bit vector's halves, so that its upper half (lanes HALF .. W) is widened as part 0: {@code
     * v.rearrange(UPPER).convertShape(S2I, I, 0)} has the lanes and bits of {@code v.convertShape(S2I, I, 1)},
     * which the Vector API makes from a slice (a shuffle computed at run time, a compare, a permute and a
     * blend); this is one permute by a constant shuffle (one vpermw with AVX-512; AVX2 has no 16-bit
     * permute across its 128-bit halves, so there C2 needs several instructions: not measured).
     */
    private static final VectorShuffle<Short> UPPER = VectorShuffle.fromOp(S, i -> (i + HALF) % W);

    private final int supers;
    /** Scales, quants and d as the class comment lays them out: {@link #BLOCK_SHORTS} per super-block of a strip. */
    private final short[] data;

    private Q6Strips(int rows, int cols, short[] data) {
        super(rows, cols, ActivationFormat.Q8_K, 1, HEIGHT);
        this.supers = cols / SUPER;
        this.data = data;
    }

    /** Shorts per sub-block: 2W bytes of scales, then 16 columns of W shorts. */
    private static final int SUB_SHORTS = W + 16 * W;
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
            boolean rowB = inStrip >= W;   // the lanes' high bytes
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
                    int i = base + c / 16 * SUB_SHORTS + W + c % 16 * W + lane;
                    int part = rowB ? q[c] << 8 : q[c] + 32;   // 256·q_B (low byte zero) or u_A (high byte zero)
                    data[i] = (short) (data[i] | part);
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
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);   // a vector shift count: see Q4Strips.oneQ40
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
                int col = base + g * SUB_SHORTS + W;
                int c = x + 16 * g;
                // The scales first: they lie before the quants, so the reads only go forward (see Q4Strips).
                // Each run of HALF rows' scales is loaded on its own, as tile() loads them, rather than all
                // 2W at once and widened by parts 1-3 (slices, as UPPER says). Measured together with UPPER,
                // at 512 bits (one thread, alternating with the kernel before in one process): from memory,
                // a 4096 × 16384 matrix, faster in 29 of 36 rounds (the three runs' medians +11%, +14%, +3%);
                // in the cache, a 1024 × 1024 one, slower in 9 of 12 (median −4%). Alone, the small loads
                // had measured slower from memory (ea31b77): the gain may be UPPER's.
                int scales = base + g * SUB_SHORTS;
                IntVector sc0 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc2 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc3 = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, scales + HALF + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                ShortVector p0 = ShortVector.zero(S);   // columns 0-7 of the sub-block
                ShortVector r0 = ShortVector.zero(S);
                ShortVector p1 = ShortVector.zero(S);   // columns 8-15
                ShortVector r1 = ShortVector.zero(S);
                for (int k = 0; k < 8; k++) {
                    ShortVector v = ShortVector.fromArray(S, data, col + W * k);
                    short xk = q[c + k];
                    p0 = p0.add(v.mul(xk));
                    r0 = r0.add(v.lanewise(VectorOperators.ASHR, by8).mul(xk));
                }
                for (int k = 8; k < 16; k++) {
                    ShortVector v = ShortVector.fromArray(S, data, col + W * k);
                    short xk = q[c + k];
                    p1 = p1.add(v.mul(xk));
                    r1 = r1.add(v.lanewise(VectorOperators.ASHR, by8).mul(xk));
                }
                // Row A: P − 256·Q − 32·Σx; row B: Q.
                ShortVector a0 = p0.sub(r0.lanewise(VectorOperators.LSHL, by8)).sub(octets[c / 8]);
                ShortVector a1 = p1.sub(r1.lanewise(VectorOperators.LSHL, by8)).sub(octets[c / 8 + 1]);
                sumLo0 = ((IntVector) a0.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) a1.convertShape(VectorOperators.S2I, I, 0)).mul(sc0).add(sumLo0);
                sumHi0 = ((IntVector) a0.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0)).add((IntVector) a1.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0)).mul(sc1).add(sumHi0);
                sumLo1 = ((IntVector) r0.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) r1.convertShape(VectorOperators.S2I, I, 0)).mul(sc2).add(sumLo1);
                sumHi1 = ((IntVector) r0.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0)).add((IntVector) r1.rearrange(UPPER).convertShape(VectorOperators.S2I, I, 0)).mul(sc3).add(sumHi1);
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
        ShortVector by8 = ShortVector.broadcast(S, (short) 8);
        ShortVector lowByte = ShortVector.broadcast(S, (short) 0xFF);
        ShortVector thirtyTwo = ShortVector.broadcast(S, (short) 32);
        for (int g = 0; g < cols / 16; g++) {   // sub-blocks of 16 columns, their quants after 2W bytes of scales
            int at = first * supers * BLOCK_SHORTS + (g / 16) * BLOCK_SHORTS + (g % 16) * SUB_SHORTS + W;
            for (int k = 0; k < 16; k++) {
                int c = 16 * g + k;
                ShortVector v = ShortVector.fromArray(S, data, at + k * W);
                v.and(lowByte).sub(thirtyTwo).intoArray(w, c * HEIGHT);
                v.lanewise(VectorOperators.ASHR, by8).intoArray(w, c * HEIGHT + W);
            }
        }
    }

    /**
     * Tokens t .. t+2 through strip {@code first} (unpacked in {@link #unpacked}(ws)); token t+j's results
     * go to y[yOff + j·yStride ..]. Each column loaded serves three tokens and each activation broadcast
     * both rows of the lanes. The six 16-bit sums cover eight columns (half a sub-block), then meet the
     * scale in 32 bits: sc·(a + b) = sc·a + sc·b in exact integers, so the super-block sums are those of
     * {@link #one}, and so are the results. 6 short, 12 int and 4 scale vectors, 2 columns and a
     * broadcast: 25 of the 32 AVX-512 registers (C2 still spills a few int sums; measured 25-30
     * Gweights/s at 16 tokens with the layout before 543d3c9, whose unpacked values were the same). The
     * float results accumulate in y itself, once per super-block.
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        short[] w = unpacked(ws);
        short[] q = quantized.wideQuants();
        float[] d = quantized.scales();
        int blocks = cols / Q8Activations.BLOCK;
        for (int b = 0; b < supers; b++) {
            int base = (first * supers + b) * BLOCK_SHORTS;
            int x0 = t * cols + SUPER * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            // sStT: rows A (S = 0) or B (S = 1), token T, lanes 0 .. HALF (L) or HALF .. W (H).
            IntVector s0t0L = IntVector.zero(I), s0t0H = IntVector.zero(I), s0t1L = IntVector.zero(I);
            IntVector s0t1H = IntVector.zero(I), s0t2L = IntVector.zero(I), s0t2H = IntVector.zero(I);
            IntVector s1t0L = IntVector.zero(I), s1t0H = IntVector.zero(I), s1t1L = IntVector.zero(I);
            IntVector s1t1H = IntVector.zero(I), s1t2L = IntVector.zero(I), s1t2H = IntVector.zero(I);
            for (int g = 0; g < 16; g++) {
                int sc = base + g * SUB_SHORTS;   // HALF bytes = HALF/2 shorts per run of rows
                IntVector sc0L = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, sc).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc0H = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, sc + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1L = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, sc + HALF).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                IntVector sc1H = (IntVector) ShortVector.fromArray(HALF_SHORTS, data, sc + HALF + HALF / 2).reinterpretAsBytes().convertShape(VectorOperators.B2I, I, 0);
                for (int h = 0; h < 16; h += 8) {
                    ShortVector a00 = ShortVector.zero(S), a01 = ShortVector.zero(S), a02 = ShortVector.zero(S);
                    ShortVector a10 = ShortVector.zero(S), a11 = ShortVector.zero(S), a12 = ShortVector.zero(S);
                    for (int k = 16 * g + h; k < 16 * g + h + 8; k++) {
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
            // y = fma(sum, d_w·d_x, y) per run of HALF rows and token, as one() does. Written out: a helper taking
            // vectors would box them wherever C2 declines to inline it.
            float d0 = d[t * blocks + 8 * b];
            float d1 = d[(t + 1) * blocks + 8 * b];
            float d2 = d[(t + 2) * blocks + 8 * b];
            int y0 = yOff;
            int y1 = yOff + yStride;
            int y2 = yOff + 2 * yStride;
            FloatVector lo = ShortVector.fromArray(S, data, base + DS).reinterpretAsFloats();
            FloatVector hi = ShortVector.fromArray(S, data, base + DS + W).reinterpretAsFloats();
            ((FloatVector) s0t0L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            ((FloatVector) s0t0H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            ((FloatVector) s0t1L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            ((FloatVector) s0t1H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            ((FloatVector) s0t2L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            ((FloatVector) s0t2H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            lo = ShortVector.fromArray(S, data, base + DS + 2 * W).reinterpretAsFloats();
            hi = ShortVector.fromArray(S, data, base + DS + 3 * W).reinterpretAsFloats();
            ((FloatVector) s1t0L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            ((FloatVector) s1t0H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            ((FloatVector) s1t1L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            ((FloatVector) s1t1H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            ((FloatVector) s1t2L.convertShape(VectorOperators.I2F, F, 0)).fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            ((FloatVector) s1t2H.convertShape(VectorOperators.I2F, F, 0)).fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
        }
    }

}
