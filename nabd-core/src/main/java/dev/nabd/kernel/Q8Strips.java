package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A Q8_0 matrix repacked into strips of W rows (W = the 16-bit lane count: 32 with AVX-512, 16 with
 * AVX2) for products with Q8_0 {@link Q8Activations}, as llama.cpp multiplies them. Loaded only through
 * {@link PackedMatrix#of}.
 *
 * <p>Layout: one Java array of bytes, strip after strip, and in a strip block after block of 32 columns,
 * in the order the decode kernel reads them (one stream, only forward: see {@link Q4Strips}):
 * <pre>
 *   d:      W halves        d of each row's block, the file's fp16 (little-endian)
 *   quants: 32 × W bytes    column c: lane r = row r's q, in [−128, 127]
 * </pre>
 * The same bytes as the file's blocks, 34 per 32 values: decoding one token reads each byte once from
 * memory, where this kernel runs at about the speed it reads. d is widened in registers as Q4Strips
 * widens Q4_0's (exactly); as floats (36 bytes) it was 4-6% slower from memory and 1% faster in the
 * cache (one thread, alternating in one process, medians of 12 rounds, Gweights/s: a 4096 × 16384 matrix
 * 19.05 -> 19.85, thirty 896 × 4864 in turn 19.9 -> 21.2, 1024 × 1024 23.7 -> 23.4).
 *
 * <p>Arithmetic, per row and block, as ggml's {@code vec_dot_q8_0_q8_0}: the integer {@code Σ q·q_x},
 * then {@code y = fma(sum, d_w·d_x, y)} block after block. Here the integer sum is taken in float lanes:
 * the bytes widen to floats and meet the activations' integers as floats in fused multiply-adds. Every
 * product (|q·q_x| ≤ 128·127) and every partial sum (≤ 32·128·127 &lt; 2^24) is an integer a float holds
 * exactly, so the float sum is the integer one. Three products in 16 bits would already overflow, which
 * rules out the 16-bit lanes of the other strips; floats also need no widening of the sum.
 *
 * <p>Against the row-by-row float kernel this reads the weights from the heap by int indices and needs no
 * lane sum per row (measured 10-11 -> 17-18 Gweights/s for one token on one thread).
 *
 * <p>A batch runs two strips by six tokens at a time ({@link #tile}), converting the bytes in the loop.
 * Each block's integer sum comes out the same however the two kernels split and order its additions (all
 * partial sums are exact), and its scaling, {@code y = fma(sum, d_w·d_x, y)} block after block, is the same
 * in both: a token's result is the same bits alone or batched.
 */
final class Q8Strips extends Strips {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int blocks;
    /** d and quants of every block ({@link #BLOCK_BYTES} each), strip after strip. */
    private final byte[] data;

    private Q8Strips(int rows, int cols, byte[] data) {
        super(rows, cols, ActivationFormat.Q8_0, STRIPS, W, W >= 32 ? 6 : TOKENS);
        this.blocks = cols / 32;
        this.data = data;
    }

    /** Bytes per block of a strip: W halves of d, then 32 × W quants. */
    private static final int BLOCK_BYTES = 2 * W + 32 * W;

    /** The packed copy of a Q8_0 matrix, or null when it outgrows an array. */
    static PackedMatrix of(Tensor w) {
        if (w.type() != GgmlType.Q8_0 || W < 16 || (long) padded(w.rows(), W) / W * (w.cols() / 32) * BLOCK_BYTES > Integer.MAX_VALUE - 64) {
            return null;
        }
        int rows = w.rows();
        int blocks = w.cols() / 32;
        byte[] data = new byte[padded(rows, W) / W * blocks * BLOCK_BYTES];
        MemorySegment in = w.data();
        for (int r = 0; r < rows; r++) {
            int lane = r % W;
            for (int b = 0; b < blocks; b++) {
                // The file's block: fp16 d, then 32 signed bytes.
                long src = r * w.rowBytes() + 34L * b;
                int at = ((r / W) * blocks + b) * BLOCK_BYTES;
                putShort(data, at + 2 * lane, in.get(U16, src));   // d as the file has it: fp16
                for (int c = 0; c < 32; c++) {
                    data[at + 2 * W + c * W + lane] = in.get(ValueLayout.JAVA_BYTE, src + 2 + c);
                }
            }
        }
        return new Q8Strips(rows, w.cols(), data);
    }

    /** Strips per group of the batch kernel. */
    private static final int STRIPS = 2;

    /**
     * One token through strip {@code s}: y[yOff .. yOff+W), rows 0 .. HALF in {@code lo} vectors and
     * HALF .. W in {@code hi} ones. Vectors stay in local variables of this one method: passed to a helper
     * C2 does not inline, they would be boxed on the heap.
     */
    @Override
    void one(int s, Q8Activations quantized, int t, float[] y, int yOff) {
        float[] q = quantized.floatQuants();
        float[] d = quantized.scales();
        FloatVector lo = FloatVector.zero(F);
        FloatVector hi = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int at = (s * blocks + b) * BLOCK_BYTES;
            int x = t * cols + 32 * b;
            // d, read first (in order), fp16 widened as PanamaRows.Half widens F16 weights: exact.
            FloatVector dLo = ((IntVector) ByteVector.fromArray(D_HALVES, data, at).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector dHi = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 2 * HALF).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            // Even and odd columns in sums of their own: one chain of fused multiply-adds per half waited
            // on each one's latency (32 in a row per block). The block sums are exact integers, so how
            // they are split and added changes no bit.
            FloatVector evenLo = FloatVector.zero(F);
            FloatVector evenHi = FloatVector.zero(F);
            FloatVector oddLo = FloatVector.zero(F);
            FloatVector oddHi = FloatVector.zero(F);
            for (int c = 0; c < 32; c += 2) {
                int col = at + 2 * W + c * W;
                FloatVector xe = FloatVector.broadcast(F, q[x + c]);
                FloatVector xo = FloatVector.broadcast(F, q[x + c + 1]);
                evenLo = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, col).convertShape(VectorOperators.B2F, F, 0)).fma(xe, evenLo);
                evenHi = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + HALF).convertShape(VectorOperators.B2F, F, 0)).fma(xe, evenHi);
                oddLo = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + W).convertShape(VectorOperators.B2F, F, 0)).fma(xo, oddLo);
                oddHi = ((FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + W + HALF).convertShape(VectorOperators.B2F, F, 0)).fma(xo, oddHi);
            }
            float dx = d[t * blocks + b];
            lo = evenLo.add(oddLo).fma(dLo.mul(dx), lo);
            hi = evenHi.add(oddHi).fma(dHi.mul(dx), hi);
        }
        lo.intoArray(y, yOff);
        hi.intoArray(y, yOff + HALF);
    }

    /** Nothing to unpack: {@link #tile} widens the bytes as it loads them. */
    @Override
    void unpack(int first, Workspace ws) {
    }

    /**
     * Tokens t, t+1 and t+2 through strips first and first+1; token t+j's results go to y[yOff + j·yStride ..].
     * Per block, twelve float sums (strip × half × token) in registers with four half columns and a
     * broadcast; each half column is widened once for three tokens and each activation serves four half
     * columns. The results accumulate in y itself, block after block: the block sums and their scaling of
     * {@link #one}. The batch kernel where vectors are narrower than 512 bits ({@link #tile}), and the
     * one for the tokens a range has left after whole tiles of six.
     */
    @Override
    void narrowTile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        float[] q = quantized.floatQuants();
        float[] d = quantized.scales();
        int next = blocks * BLOCK_BYTES;   // from a strip's block to the next strip's
        for (int b = 0; b < blocks; b++) {
            int x0 = t * cols + 32 * b;
            int x1 = x0 + cols;
            int x2 = x1 + cols;
            int at = (first * blocks + b) * BLOCK_BYTES;
            // sSHT: strip S, half H (L: rows 0 .. HALF, H: HALF .. W), token T.
            FloatVector s0L0 = FloatVector.zero(F), s0L1 = FloatVector.zero(F), s0L2 = FloatVector.zero(F);
            FloatVector s0H0 = FloatVector.zero(F), s0H1 = FloatVector.zero(F), s0H2 = FloatVector.zero(F);
            FloatVector s1L0 = FloatVector.zero(F), s1L1 = FloatVector.zero(F), s1L2 = FloatVector.zero(F);
            FloatVector s1H0 = FloatVector.zero(F), s1H1 = FloatVector.zero(F), s1H2 = FloatVector.zero(F);
            for (int c = 0; c < 32; c++) {
                int col = at + 2 * W + c * W;
                FloatVector w0L = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w0H = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + HALF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w1L = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + next).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w1H = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + next + HALF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector x = FloatVector.broadcast(F, q[x0 + c]);
                s0L0 = w0L.fma(x, s0L0);
                s0H0 = w0H.fma(x, s0H0);
                s1L0 = w1L.fma(x, s1L0);
                s1H0 = w1H.fma(x, s1H0);
                x = FloatVector.broadcast(F, q[x1 + c]);
                s0L1 = w0L.fma(x, s0L1);
                s0H1 = w0H.fma(x, s0H1);
                s1L1 = w1L.fma(x, s1L1);
                s1H1 = w1H.fma(x, s1H1);
                x = FloatVector.broadcast(F, q[x2 + c]);
                s0L2 = w0L.fma(x, s0L2);
                s0H2 = w0H.fma(x, s0H2);
                s1L2 = w1L.fma(x, s1L2);
                s1H2 = w1H.fma(x, s1H2);
            }
            // y = fma(sum, d_w·d_x, y) per strip half and token, as one() does. Written out: a helper taking
            // vectors would box them wherever C2 declines to inline it.
            float d0 = d[t * blocks + b];
            float d1 = d[(t + 1) * blocks + b];
            float d2 = d[(t + 2) * blocks + b];
            int y0 = yOff;
            int y1 = yOff + yStride;
            int y2 = yOff + 2 * yStride;
            // d widened as one() widens it.
            FloatVector lo = ((IntVector) ByteVector.fromArray(D_HALVES, data, at).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector hi = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 2 * HALF).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            s0L0.fma(lo.mul(d0), FloatVector.fromArray(F, y, y0)).intoArray(y, y0);
            s0H0.fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + HALF)).intoArray(y, y0 + HALF);
            s0L1.fma(lo.mul(d1), FloatVector.fromArray(F, y, y1)).intoArray(y, y1);
            s0H1.fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + HALF)).intoArray(y, y1 + HALF);
            s0L2.fma(lo.mul(d2), FloatVector.fromArray(F, y, y2)).intoArray(y, y2);
            s0H2.fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + HALF)).intoArray(y, y2 + HALF);
            lo = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + next).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            hi = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + next + 2 * HALF).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            s1L0.fma(lo.mul(d0), FloatVector.fromArray(F, y, y0 + W)).intoArray(y, y0 + W);
            s1H0.fma(hi.mul(d0), FloatVector.fromArray(F, y, y0 + W + HALF)).intoArray(y, y0 + W + HALF);
            s1L1.fma(lo.mul(d1), FloatVector.fromArray(F, y, y1 + W)).intoArray(y, y1 + W);
            s1H1.fma(hi.mul(d1), FloatVector.fromArray(F, y, y1 + W + HALF)).intoArray(y, y1 + W + HALF);
            s1L2.fma(lo.mul(d2), FloatVector.fromArray(F, y, y2 + W)).intoArray(y, y2 + W);
            s1H2.fma(hi.mul(d2), FloatVector.fromArray(F, y, y2 + W + HALF)).intoArray(y, y2 + W + HALF);
        }
    }

    /**
     * Tokens t to t+5 through strips first and first+1; token t+j's results go to y[yOff + j·yStride ..].
     * With 512-bit vectors only: the 32 registers hold 24 float sums (strip × half × token), four half
     * columns and a broadcast (with fewer lanes {@link #tokens} is three and every tile is a
     * {@link #narrowTile}: AVX2's 16 registers would spill). Each half column is widened once for six
     * tokens and each activation serves four half columns.
     * With three tokens (twelve sums) the widening and the broadcasts took the floating-point pipes from the
     * multiply-adds. Gmultiply-adds/s on one thread, 896 × 4864: the kernels' loops alone, 126 tokens,
     * 42-43 for three tokens against 50 for six (one strip by six tokens: 40-42); the whole product, 128
     * tokens, 44 against 49. The results accumulate in y itself, block after
     * block: the block sums and their scaling of {@link #one}.
     */
    @Override
    void tile(int first, Workspace ws, Q8Activations quantized, int t, float[] y, int yOff, int yStride) {
        float[] q = quantized.floatQuants();
        float[] d = quantized.scales();
        int next = blocks * BLOCK_BYTES;   // from a strip's block to the next strip's
        for (int b = 0; b < blocks; b++) {
            int x0 = t * cols + 32 * b;
            int at = (first * blocks + b) * BLOCK_BYTES;
            // Sums by strip and half (a: strip 0 rows 0 .. HALF, b: strip 0 HALF .. W, c and e: strip 1),
            // then token.
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
            FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0;
            FloatVector e0 = a0, e1 = a0, e2 = a0, e3 = a0, e4 = a0, e5 = a0;
            for (int c = 0; c < 32; c++) {
                int col = at + 2 * W + c * W;
                int xc = x0 + c;
                FloatVector w0 = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w1 = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + HALF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w2 = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + next).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w3 = (FloatVector) ByteVector.fromArray(HALF_BYTES, data, col + next + HALF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector x = FloatVector.broadcast(F, q[xc]);
                a0 = w0.fma(x, a0); b0 = w1.fma(x, b0); c0 = w2.fma(x, c0); e0 = w3.fma(x, e0);
                x = FloatVector.broadcast(F, q[xc + cols]);
                a1 = w0.fma(x, a1); b1 = w1.fma(x, b1); c1 = w2.fma(x, c1); e1 = w3.fma(x, e1);
                x = FloatVector.broadcast(F, q[xc + 2 * cols]);
                a2 = w0.fma(x, a2); b2 = w1.fma(x, b2); c2 = w2.fma(x, c2); e2 = w3.fma(x, e2);
                x = FloatVector.broadcast(F, q[xc + 3 * cols]);
                a3 = w0.fma(x, a3); b3 = w1.fma(x, b3); c3 = w2.fma(x, c3); e3 = w3.fma(x, e3);
                x = FloatVector.broadcast(F, q[xc + 4 * cols]);
                a4 = w0.fma(x, a4); b4 = w1.fma(x, b4); c4 = w2.fma(x, c4); e4 = w3.fma(x, e4);
                x = FloatVector.broadcast(F, q[xc + 5 * cols]);
                a5 = w0.fma(x, a5); b5 = w1.fma(x, b5); c5 = w2.fma(x, c5); e5 = w3.fma(x, e5);
            }
            // y = fma(sum, d_w·d_x, y) per strip half and token, as one() does, d widened as one() widens it.
            // Written out: a helper taking vectors would box them wherever C2 declines to inline it.
            int dx = t * blocks + b;
            FloatVector lo = ((IntVector) ByteVector.fromArray(D_HALVES, data, at).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            FloatVector hi = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + 2 * HALF).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            int o = yOff;
            a0.fma(lo.mul(d[dx]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b0.fma(hi.mul(d[dx]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            a1.fma(lo.mul(d[dx + blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b1.fma(hi.mul(d[dx + blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            a2.fma(lo.mul(d[dx + 2 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b2.fma(hi.mul(d[dx + 2 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            a3.fma(lo.mul(d[dx + 3 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b3.fma(hi.mul(d[dx + 3 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            a4.fma(lo.mul(d[dx + 4 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b4.fma(hi.mul(d[dx + 4 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            a5.fma(lo.mul(d[dx + 5 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            b5.fma(hi.mul(d[dx + 5 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            lo = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + next).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            hi = ((IntVector) ByteVector.fromArray(D_HALVES, data, at + next + 2 * HALF).reinterpretAsShorts().convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 13).and(PanamaRows.Half.HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f);
            o = yOff + W;
            c0.fma(lo.mul(d[dx]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e0.fma(hi.mul(d[dx]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            c1.fma(lo.mul(d[dx + blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e1.fma(hi.mul(d[dx + blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            c2.fma(lo.mul(d[dx + 2 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e2.fma(hi.mul(d[dx + 2 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            c3.fma(lo.mul(d[dx + 3 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e3.fma(hi.mul(d[dx + 3 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            c4.fma(lo.mul(d[dx + 4 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e4.fma(hi.mul(d[dx + 4 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
            o += yStride;
            c5.fma(lo.mul(d[dx + 5 * blocks]), FloatVector.fromArray(F, y, o)).intoArray(y, o);
            e5.fma(hi.mul(d[dx + 5 * blocks]), FloatVector.fromArray(F, y, o + HALF)).intoArray(y, o + HALF);
        }
    }
}
