package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import jdk.incubator.vector.ByteVector;
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
 * The Vector API row kernels, one per weight type that matters for speed, all written against one float
 * species {@link #F} (the machine's preferred width) and the byte/short species with the same lane count
 * (at four lanes, where no vector of four bytes exists, bytes are read as one int: {@link #ints}),
 * so the same code serves AVX2, AVX-512 and NEON. Loaded only through {@link RowOpsProvider}.
 *
 * <p>Each kernel decodes {@code L} weights into a float vector in registers (sign-extend or unpack
 * nibbles, convert, apply the block scale) and either fuses them into a dot product with the activations
 * or stores them. The block layouts are documented on the codecs in {@code dev.nabd.tensor}.
 *
 * <p>{@code dot} must give exactly the bits of {@link FloatOps#dot} over the row that {@code dequantize}
 * writes, so that a token's result does not depend on whether its matrix product ran fused (one token) or
 * decoded-then-tiled (a batch). So each kernel computes every weight by the same expression in both
 * methods: a helper shared by both, or, for F16/BF16 and Q8_0 (which also read the KV cache in
 * attention) and for Q2_K, Q3_K and Q5_K, the expression written out in each loop, to be kept in step,
 * because C2 at times left such a helper out of line and boxed every vector it returned. Its dot product keeps FloatOps'
 * summation order, as {@link PanamaFloatOps} writes it: one accumulator taking the vectors of L values in
 * row order, its lanes summed by the tree of {@link PanamaFloatOps#HALVES}. Where a block stores its
 * values out of row order (nibble halves), the loops follow the values, not the bytes.
 *
 * <p>Vectors are never chosen between ({@code cond ? v1 : v2}): where C2 does not unroll a loop, a merge of
 * two vectors is boxed on the heap. Nibbles are picked by a shift amount instead.
 */
final class PanamaRows {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** L bytes, where such a vector exists (from 8 lanes; at 4, {@link #ints} reads the bytes as one int). */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);

    private PanamaRows() {
    }

    /**
     * The kernel for {@code type}, or {@code null} when this width cannot serve it (blocks of 16 and 32
     * values need at most 16 lanes) or no vector kernel exists for the type.
     */
    static RowOps of(GgmlType type) {
        if (L < 4 || L > 16) {
            return null;
        }
        return switch (type) {
            case F16 -> new Half(false);
            case BF16 -> new Half(true);
            case Q8_0 -> new Q8_0();
            case Q4_0 -> new Legacy(false, false);
            case Q4_1 -> new Legacy(true, false);
            case Q5_0 -> new Legacy(false, true);
            case Q5_1 -> new Legacy(true, true);
            case Q2_K -> new Q2_K();
            case Q3_K -> new Q3_K();
            case Q4_K -> new Q4_K();
            case Q5_K -> new Q5_K();
            case Q6_K -> new Q6_K();
            default -> null;
        };
    }

    static float f16(MemorySegment w, long off) {
        return Float.float16ToFloat(w.get(F16, off));
    }

    static ByteVector bytes(MemorySegment w, long off) {
        return ByteVector.fromMemorySegment(B, w, off, LE);
    }

    /**
     * L bytes at {@code off} widened to 32-bit lanes (sign-extended). Bit fields are unpacked on these
     * lanes: x86 has no byte shifts, and staying in one int species keeps C2's type profiles of the
     * Vector API monomorphic, which is what lets it inline (and so keep the vectors in registers).
     */
    static IntVector ints(MemorySegment w, long off) {
        if (L == 4) {
            return fourInts(w, off);
        }
        return (IntVector) bytes(w, off).convertShape(VectorOperators.B2I, I, 0);
    }

    /**
     * {@link #ints} at 128 bits (SSE, ARM NEON), where there is no vector of four bytes and a vector of
     * eight would read past a row's end: the four bytes as one int, each shifted to the top of its lane
     * and back down with its sign. Out of {@link #ints}, which must stay small enough for C2 to inline
     * wherever it is used.
     */
    private static IntVector fourInts(MemorySegment w, long off) {
        return IntVector.broadcast(I, w.get(U32, off)).lanewise(VectorOperators.LSHL, BYTE_TO_TOP).lanewise(VectorOperators.ASHR, 24);
    }

    /** Lane i's shift that brings byte i % 4 of an int to the top (for {@link #fourInts}). */
    private static final IntVector BYTE_TO_TOP = IntVector.fromArray(I, java.util.stream.IntStream.range(0, L).map(i -> 24 - 8 * (i % 4)).toArray(), 0);

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    /**
     * F16 (IEEE half) or BF16 rows: the bits are widened to floats in registers. BF16 is the top half of an
     * F32: one shift. F16 takes three operations: the half, sign-extended to 32 bits and shifted left by
     * 13, has its exponent and mantissa in F32 position (bits 13..27) and its sign in bit 31; the mask
     * {@link #HALF_TO_FLOAT} clears the sign's copies in bits 28..30, and the product with 2^112 re-biases
     * the exponent (15 -> 127). Exact for normal and subnormal halves alike (a subnormal half becomes a
     * subnormal float, which a power of two scales exactly); infinities and NaNs do not occur in weights.
     */
    static final class Half implements RowOps {
        /** Sign (bit 31), exponent and mantissa (bits 13..27) of a sign-extended half shifted left by 13. */
        static final int HALF_TO_FLOAT = 0x8FFFE000;
        private final boolean brain;

        Half(boolean brain) {
            this.brain = brain;
        }

        /** One value, for the tail of a row shorter than a whole number of vectors. */
        private float scalar(MemorySegment w, long off) {
            short bits = w.get(F16, off);
            return brain ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            // The conversions are written out in the loops, not taken from a helper returning a vector:
            // a vector returned from a call C2 does not inline is boxed on the heap (see dot4).
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            if (brain) {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    acc = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xOff + i), acc);
                }
            } else {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    acc = h.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f)
                            .fma(FloatVector.fromArray(F, x, xOff + i), acc);
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            float sum = acc.lane(0);
            for (; i < n; i++) {
                sum += scalar(w, off + 2L * i) * x[xOff + i];
            }
            return sum;
        }

        // Four rows, each x vector loaded once for all; per row the same operations in the same order as
        // dot(), so the same bits. For F16 the product with 2^112 moves from every weight onto x (see
        // dot4Scale): w·2^-112 times x·2^112 is the same real number as w times x, so each fused
        // multiply-add rounds the same sum to the same float, one operation fewer per vector of weights.
        // The conversions are written out in the loop: a helper returning the converted vector, called in
        // a loop of several rows, was not always inlined, and a vector returned from a call that is not
        // inlined is boxed on the heap (megabytes per token, seen by NoAllocationTest on one JIT schedule
        // of four).
        @Override
        public void dot4(MemorySegment w, long off, long stride, float[] x, int xOff, int n, float[] out, int o, int outStride) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off1 = off + stride;
            long off2 = off + 2 * stride;
            long off3 = off + 3 * stride;
            int i = 0;
            if (brain) {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
                    IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, w, off1 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h2 = (IntVector) ShortVector.fromMemorySegment(S, w, off2 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h3 = (IntVector) ShortVector.fromMemorySegment(S, w, off3 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    acc0 = h0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, acc0);
                    acc1 = h1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, acc1);
                    acc2 = h2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, acc2);
                    acc3 = h3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xv, acc3);
                }
            } else {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
                    IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, w, off1 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h2 = (IntVector) ShortVector.fromMemorySegment(S, w, off2 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    IntVector h3 = (IntVector) ShortVector.fromMemorySegment(S, w, off3 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    // The weights stay 2^-112 of their values: x comes multiplied by 2^112 (dot4Scale).
                    acc0 = h0.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().fma(xv, acc0);
                    acc1 = h1.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().fma(xv, acc1);
                    acc2 = h2.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().fma(xv, acc2);
                    acc3 = h3.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().fma(xv, acc3);
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc0 = acc0.add(acc0.rearrange(h));
                acc1 = acc1.add(acc1.rearrange(h));
                acc2 = acc2.add(acc2.rearrange(h));
                acc3 = acc3.add(acc3.rearrange(h));
            }
            float sum0 = acc0.lane(0);
            float sum1 = acc1.lane(0);
            float sum2 = acc2.lane(0);
            float sum3 = acc3.lane(0);
            float unscale = 1 / dot4Scale();
            for (; i < n; i++) {
                float xi = x[xOff + i] * unscale;   // the activation as it was: exact
                sum0 += scalar(w, off + 2L * i) * xi;
                sum1 += scalar(w, off1 + 2L * i) * xi;
                sum2 += scalar(w, off2 + 2L * i) * xi;
                sum3 += scalar(w, off3 + 2L * i) * xi;
            }
            out[o] = sum0;
            out[o + outStride] = sum1;
            out[o + 2 * outStride] = sum2;
            out[o + 3 * outStride] = sum3;
        }

        /**
         * F16: 2^112, the re-bias of the exponent (see the class comment), exact for activations of
         * magnitude below 2^16 (activations rounded to F16 are at most 65504, or infinite either way); 1
         * for BF16.
         */
        @Override
        public float dot4Scale() {
            return brain ? 1f : 0x1p112f;
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            // Written out per format, as in dot(): a helper returning the vector was at times left out of
            // line by C2 ("callee is too large" in -XX:+LogCompilation), and each vector it returned was
            // boxed: the KV cache's reads in attention allocated, seen by NoAllocationTest in one run of
            // the suite in a random order.
            int i = 0;
            if (brain) {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(out, outOff + i);
                }
            } else {
                for (int bound = F.loopBound(n); i < bound; i += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
                    h.lanewise(VectorOperators.LSHL, 13).and(HALF_TO_FLOAT).reinterpretAsFloats().mul(0x1p112f).intoArray(out, outOff + i);
                }
            }
            for (; i < n; i++) {
                out[outOff + i] = scalar(w, off + 2L * i);
            }
        }
    }

    /** Q8_0: 34-byte blocks, fp16 scale then 32 signed bytes; value = d·q. */
    static final class Q8_0 implements RowOps {
        // Values j .. j+L of a block, d·q, are written out in each loop (a helper returning them was at times
        // left out of line by C2, and each vector it returned boxed: see Half.dequantize). This class also
        // reads a Q8_0 KV cache.
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 32; b++) {
                long blk = off + 34L * b;
                float d = f16(w, blk);
                for (int j = 0; j < 32; j += L) {
                    if (L == 4) {   // a constant: C2 keeps one branch (fourInts written out, as above)
                        FloatVector v = (FloatVector) IntVector.broadcast(I, w.get(U32, blk + 2 + j)).lanewise(VectorOperators.LSHL, BYTE_TO_TOP)
                                .lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0);
                        acc = v.mul(d).fma(FloatVector.fromArray(F, x, xOff + 32 * b + j), acc);
                    } else {
                        FloatVector v = (FloatVector) ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                        acc = v.mul(d).fma(FloatVector.fromArray(F, x, xOff + 32 * b + j), acc);
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 32; b++) {
                long blk = off + 34L * b;
                float d = f16(w, blk);
                for (int j = 0; j < 32; j += L) {
                    if (L == 4) {
                        FloatVector v = (FloatVector) IntVector.broadcast(I, w.get(U32, blk + 2 + j)).lanewise(VectorOperators.LSHL, BYTE_TO_TOP)
                                .lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0);
                        v.mul(d).intoArray(out, outOff + 32 * b + j);
                    } else {
                        FloatVector v = (FloatVector) ByteVector.fromMemorySegment(B, w, blk + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                        v.mul(d).intoArray(out, outOff + 32 * b + j);
                    }
                }
            }
        }
    }

    /**
     * The 32-value block types Q4_0, Q4_1, Q5_0 and Q5_1: fp16 d, for _1 an fp16 min m, for Q5 a
     * little-endian u32 of fifth bits, then 16 bytes whose low nibbles are values 0..15 and high nibbles
     * values 16..31. value = d·(q − bias) + m, with bias 8 (Q4_0), 16 (Q5_0) or 0 (the _1 types, which add
     * m), computed as one fused q·d + (m − d·bias).
     */
    static final class Legacy implements RowOps {
        private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
        private final int blockBytes;
        private final int qsOffset;
        private final boolean hasMin;
        private final boolean fiveBits;
        private final float bias;

        Legacy(boolean hasMin, boolean fiveBits) {
            this.hasMin = hasMin;
            this.fiveBits = fiveBits;
            this.blockBytes = 2 + (hasMin ? 2 : 0) + (fiveBits ? 4 : 0) + 16;
            this.qsOffset = blockBytes - 16;
            this.bias = hasMin ? 0 : fiveBits ? 16 : 8;
        }

        /**
         * Values p .. p+L of the block: the low nibbles of bytes p.. for p &lt; 16, else the high nibbles of
         * bytes p−16.., with for Q5 bit p+i of qh on top; then d·q + m.
         */
        private FloatVector values(MemorySegment w, long blk, int p, FloatVector d, FloatVector m) {
            // Nibbles by a shift of 0 or 4 rather than a choice between two vectors: where C2 does not
            // unroll the loop, a choice is a merge of two vectors, and it boxes them.
            IntVector q = ints(w, blk + qsOffset + (p & 15)).lanewise(VectorOperators.ASHR, (p & 16) >> 2).and(0x0F);
            if (fiveBits) {
                int qh = w.get(U32, blk + (hasMin ? 4 : 2));
                q = q.or(IntVector.broadcast(I, qh).lanewise(VectorOperators.LSHR, IOTA.add(p)).and(1).lanewise(VectorOperators.LSHL, 4));
            }
            return toFloat(q).fma(d, m);
        }

        /** The offset added to d·q: m for the _1 types, −d·bias for the others. */
        private FloatVector offset(MemorySegment w, long blk, float d) {
            return FloatVector.broadcast(F, hasMin ? f16(w, blk + 2) : -(d * bias));
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 32; b++) {
                long blk = off + (long) blockBytes * b;
                float d = f16(w, blk);
                FloatVector dv = FloatVector.broadcast(F, d);
                FloatVector m = offset(w, blk, d);
                for (int p = 0; p < 32; p += L) {
                    acc = values(w, blk, p, dv, m).fma(FloatVector.fromArray(F, x, xOff + 32 * b + p), acc);
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 32; b++) {
                long blk = off + (long) blockBytes * b;
                float d = f16(w, blk);
                FloatVector dv = FloatVector.broadcast(F, d);
                FloatVector m = offset(w, blk, d);
                for (int p = 0; p < 32; p += L) {
                    values(w, blk, p, dv, m).intoArray(out, outOff + 32 * b + p);
                }
            }
        }
    }

    /**
     * Q4_K: 144-byte super-blocks of 256 values: fp16 d and dmin, 12 bytes of 6-bit scales and mins, 128
     * bytes of nibbles. Sub-blocks 2g and 2g+1 share the 32 bytes at 16 + 32g (low and high nibbles);
     * value = d·scale·q − dmin·min.
     */
    static final class Q4_K implements RowOps {
        /*
         * The 12 scale bytes are read as three little-endian ints once per super-block and unpacked with
         * shifts (ggml's get_scale_min_k4 on whole words): bytes 0-3 of the first word hold scales 0-3,
         * of the second mins 0-3 (6 bits each, the top 2 bits lending to scales/mins 4-7), and the third
         * word's low and high nibbles hold the low 4 bits of scales and mins 4-7.
         */
        static int scale(int w0, int w2, int j) {
            return j < 4 ? (w0 >>> (8 * j)) & 63 : ((w2 >>> (8 * (j - 4))) & 0xF) | (((w0 >>> (8 * (j - 4) + 6)) & 3) << 4);
        }

        static int min(int w1, int w2, int j) {
            return j < 4 ? (w1 >>> (8 * j)) & 63 : ((w2 >>> (8 * (j - 4) + 4)) & 0xF) | (((w1 >>> (8 * (j - 4) + 6)) & 3) << 4);
        }

        /**
         * Values j .. j+L of sub-block s: the low (even s) or high (odd s) nibbles of the bytes at
         * {@code bytes}, scaled d·q + m. (A shift of 0 or 4, not a choice between two vectors, which C2
         * boxes where it does not unroll the loop.)
         */
        private static FloatVector values(MemorySegment w, long bytes, int j, int s, FloatVector d, FloatVector m) {
            return toFloat(ints(w, bytes + j).lanewise(VectorOperators.ASHR, 4 * (s & 1)).and(0x0F)).fma(d, m);
        }

        /** d·scale (d = the super-block's scale at {@code blk}) of sub-block {@code s}; w0, w2: scale words. */
        private static FloatVector scaleOf(float d, int w0, int w2, int s) {
            return FloatVector.broadcast(F, d * scale(w0, w2, s));
        }

        /** −dmin·min of sub-block {@code s}; w1, w2: min words. */
        private static FloatVector minOf(float dmin, int w1, int w2, int s) {
            return FloatVector.broadcast(F, -dmin * min(w1, w2, s));
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 144L * b;
                float d = f16(w, blk);
                float dmin = f16(w, blk + 2);
                int w0 = w.get(U32, blk + 4);
                int w1 = w.get(U32, blk + 8);
                int w2 = w.get(U32, blk + 12);
                // Sub-blocks in row order: 2g is the low nibbles of group g's 32 bytes, 2g+1 the high ones.
                for (int s = 0; s < 8; s++) {
                    FloatVector ds = scaleOf(d, w0, w2, s);
                    FloatVector ms = minOf(dmin, w1, w2, s);
                    long bytes = blk + 16 + 32L * (s / 2);
                    int xs = xOff + 256 * b + 32 * s;
                    for (int j = 0; j < 32; j += L) {
                        acc = values(w, bytes, j, s, ds, ms).fma(FloatVector.fromArray(F, x, xs + j), acc);
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 144L * b;
                float d = f16(w, blk);
                float dmin = f16(w, blk + 2);
                int w0 = w.get(U32, blk + 4);
                int w1 = w.get(U32, blk + 8);
                int w2 = w.get(U32, blk + 12);
                for (int s = 0; s < 8; s++) {
                    FloatVector ds = scaleOf(d, w0, w2, s);
                    FloatVector ms = minOf(dmin, w1, w2, s);
                    long bytes = blk + 16 + 32L * (s / 2);
                    int ys = outOff + 256 * b + 32 * s;
                    for (int j = 0; j < 32; j += L) {
                        values(w, bytes, j, s, ds, ms).intoArray(out, ys + j);
                    }
                }
            }
        }
    }

    /**
     * Q6_K: 210-byte super-blocks of 256 values: 128 bytes of low nibbles (ql), 64 bytes of 2-bit high
     * parts (qh), 16 signed 8-bit scales, fp16 d. In each half of 128 values, byte l of ql (and l+32) and
     * byte l of qh give values l, l+32, l+64, l+96: q = (nibble | 2 bits << 4) − 32, scaled by
     * d·scale[l/16 + 2k] for the k-th of the four.
     *
     * <p>At any width of 16 values or fewer (a scale covers 16 values, so a vector takes one).
     */
    static final class Q6_K implements RowOps {
        /**
         * A 6-bit quant, (nibble | two bits of qh at {@code shift} << 4) − 32, as floats. The four quants
         * that share a byte of qh take its bits 0-1, 2-3, 4-5 and 6-7.
         */
        private static FloatVector six(IntVector nibble, IntVector qh, int shift) {
            return toFloat(nibble.or(qh.lanewise(VectorOperators.ASHR, shift).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32));
        }

        /**
         * The L values 32k + l .. of a half: from the low (k &lt; 2) or high nibbles of {@code q} (ql[l..]
         * for even k, ql[32+l..] for odd) and bits 2k, 2k+1 of {@code h} (qh[l..]), times d·scale[l/16 + 2k],
         * the scale a byte of {@code scales} (the half's 8 scale bytes read as one little-endian long: one
         * memory access instead of eight keeps the kernel within C2's inlining budget).
         */
        private static FloatVector values(IntVector q, IntVector h, int k, int l, float d, long scales) {
            float s = d * (byte) (scales >>> (8 * (l / 16 + 2 * k)));
            return six(q.lanewise(VectorOperators.ASHR, 4 * (k >> 1)).and(0x0F), h, 2 * k).mul(s);
        }

        // Each step of the loop over k is the 32 values 32k .. 32k+31 of the half, L at a time, in row
        // order; the qh bytes they take are loaded with them (from L1: four loads of each per half). The
        // loops stay loops with one call site per vector: with more (written out, or holding all of ql),
        // the kernel outgrows C2's inlining budget and its vectors end up boxed on the heap.
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 210L * b;
                float d = f16(w, blk + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = blk + 64L * half;
                    long qh = blk + 128 + 32L * half;
                    long scales = w.get(I64, blk + 192 + 8L * half);
                    int y = xOff + 256 * b + 128 * half;
                    for (int k = 0; k < 4; k++) {
                        long q = ql + 32 * (k & 1);
                        for (int l = 0; l < 32; l += L) {
                            acc = values(ints(w, q + l), ints(w, qh + l), k, l, d, scales).fma(FloatVector.fromArray(F, x, y + 32 * k + l), acc);
                        }
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 210L * b;
                float d = f16(w, blk + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = blk + 64L * half;
                    long qh = blk + 128 + 32L * half;
                    long scales = w.get(I64, blk + 192 + 8L * half);
                    int y = outOff + 256 * b + 128 * half;
                    for (int k = 0; k < 4; k++) {
                        long q = ql + 32 * (k & 1);
                        for (int l = 0; l < 32; l += L) {
                            values(ints(w, q + l), ints(w, qh + l), k, l, d, scales).intoArray(out, y + 32 * k + l);
                        }
                    }
                }
            }
        }
    }

    /**
     * Q2_K super-blocks of 256 (84 bytes): 16 bytes of sub-block scale (low nibble) and min (high nibble),
     * 64 bytes of 2-bit values, fp16 d and dmin. Sub-block s = 8h + 2k + t (16 values) takes bit pair k of
     * bytes 32h + 16t .. +16; its values are d·sc·q − dmin·m, computed as the codec computes them (a
     * product, then a difference: the same bits). The decoding is written out in both loops: a helper
     * taking or returning vectors would box them wherever C2 does not inline it.
     */
    static final class Q2_K implements RowOps {
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 84L * b;
                float d = f16(w, blk + 80);
                float dmin = f16(w, blk + 82);
                long scales0 = w.get(I64, blk);   // sub-block s's scale and min: byte s % 8 of the first or second long
                long scales1 = w.get(I64, blk + 8);
                if (L == 16) {
                    // A sub-block is one vector: each quant vector serves four (bit pairs k), loaded once;
                    // sub-blocks still in row order, t = s % 2 alternating.
                    for (int h = 0; h < 2; h++) {
                        IntVector quants0 = ints(w, blk + 16 + 32L * h);
                        IntVector quants1 = ints(w, blk + 32 + 32L * h);
                        long scales = h == 0 ? scales0 : scales1;
                        for (int k = 0; k < 4; k++) {
                            int xs = xOff + 256 * b + 16 * (8 * h + 2 * k);
                            int sc = (int) (scales >>> 16 * k) & 0xFF;
                            acc = toFloat(quants0.lanewise(VectorOperators.ASHR, 2 * k).and(3)).mul(d * (sc & 0xF)).sub(dmin * (sc >>> 4))
                                    .fma(FloatVector.fromArray(F, x, xs), acc);
                            sc = (int) (scales >>> 16 * k + 8) & 0xFF;
                            acc = toFloat(quants1.lanewise(VectorOperators.ASHR, 2 * k).and(3)).mul(d * (sc & 0xF)).sub(dmin * (sc >>> 4))
                                    .fma(FloatVector.fromArray(F, x, xs + 16), acc);
                        }
                    }
                } else {
                    for (int s = 0; s < 16; s++) {
                        int sc = (int) ((s < 8 ? scales0 : scales1) >>> 8 * (s % 8)) & 0xFF;
                        float dl = d * (sc & 0xF);
                        float ml = dmin * (sc >>> 4);
                        long q = blk + 16 + 32L * (s / 8) + 16L * (s % 2);
                        int shift = 2 * ((s % 8) / 2);
                        int xs = xOff + 256 * b + 16 * s;
                        for (int j = 0; j < 16; j += L) {
                            acc = toFloat(ints(w, q + j).lanewise(VectorOperators.ASHR, shift).and(3)).mul(dl).sub(ml)
                                    .fma(FloatVector.fromArray(F, x, xs + j), acc);
                        }
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 84L * b;
                float d = f16(w, blk + 80);
                float dmin = f16(w, blk + 82);
                long scales0 = w.get(I64, blk);   // sub-block s's scale and min: byte s % 8 of the first or second long
                long scales1 = w.get(I64, blk + 8);
                for (int s = 0; s < 16; s++) {
                    int sc = (int) ((s < 8 ? scales0 : scales1) >>> 8 * (s % 8)) & 0xFF;
                    float dl = d * (sc & 0xF);
                    float ml = dmin * (sc >>> 4);
                    long q = blk + 16 + 32L * (s / 8) + 16L * (s % 2);
                    int shift = 2 * ((s % 8) / 2);
                    int ys = outOff + 256 * b + 16 * s;
                    for (int j = 0; j < 16; j += L) {
                        toFloat(ints(w, q + j).lanewise(VectorOperators.ASHR, shift).and(3)).mul(dl).sub(ml).intoArray(out, ys + j);
                    }
                }
            }
        }
    }

    /**
     * Q3_K super-blocks of 256 (110 bytes): 32 bytes hmask, 64 bytes of 2-bit values, 12 bytes of 6-bit
     * scales, fp16 d. Sub-block s = 8h + 2k + t (16 values) takes bit pair k of bytes 32 + 32h + 16t .. +16
     * and, as its third bit, bit 4h + k of hmask bytes 16t .. +16, set meaning q = low and clear q = low − 4;
     * its values are d·(scale − 32)·q, the product the codec computes.
     */
    static final class Q3_K implements RowOps {
        /**
         * Sub-block j's signed scale from the scale field read as a long (bytes 96..103: low nibbles, j in
         * byte j % 8, nibble j / 8) and an int (bytes 104..107: high bit pairs, byte j % 4, pair j / 4), once
         * per super-block.
         */
        static int scale(long lows, int highs, int j) {
            int low = (int) (lows >>> (8 * (j % 8) + 4 * (j / 8))) & 0xF;
            int high = highs >>> (8 * (j % 4) + 2 * (j / 4)) & 3;
            return (low | high << 4) - 32;
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 110L * b;
                float d = f16(w, blk + 108);
                long lows = w.get(I64, blk + 96);
                int highs = w.get(U32, blk + 104);
                if (L == 16) {
                    // A sub-block is one vector: the two hmask vectors serve all sixteen, each quant vector
                    // four (bit pairs k), loaded once; sub-blocks still in row order, t = s % 2 alternating.
                    IntVector third0 = ints(w, blk);
                    IntVector third1 = ints(w, blk + 16);
                    for (int h = 0; h < 2; h++) {
                        IntVector quants0 = ints(w, blk + 32 + 32L * h);
                        IntVector quants1 = ints(w, blk + 48 + 32L * h);
                        for (int k = 0; k < 4; k++) {
                            int s = 8 * h + 2 * k;
                            int xs = xOff + 256 * b + 16 * s;
                            IntVector q = quants0.lanewise(VectorOperators.ASHR, 2 * k).and(3)
                                    .add(third0.lanewise(VectorOperators.ASHR, 4 * h + k).and(1).lanewise(VectorOperators.LSHL, 2)).sub(4);
                            acc = toFloat(q).mul(d * scale(lows, highs, s)).fma(FloatVector.fromArray(F, x, xs), acc);
                            q = quants1.lanewise(VectorOperators.ASHR, 2 * k).and(3)
                                    .add(third1.lanewise(VectorOperators.ASHR, 4 * h + k).and(1).lanewise(VectorOperators.LSHL, 2)).sub(4);
                            acc = toFloat(q).mul(d * scale(lows, highs, s + 1)).fma(FloatVector.fromArray(F, x, xs + 16), acc);
                        }
                    }
                } else {
                    for (int s = 0; s < 16; s++) {
                        float dl = d * scale(lows, highs, s);
                        long q = blk + 32 + 32L * (s / 8) + 16L * (s % 2);
                        long hmask = blk + 16L * (s % 2);
                        int shift = 2 * ((s % 8) / 2);
                        int bit = 4 * (s / 8) + (s % 8) / 2;
                        int xs = xOff + 256 * b + 16 * s;
                        for (int j = 0; j < 16; j += L) {
                            IntVector low = ints(w, q + j).lanewise(VectorOperators.ASHR, shift).and(3);
                            IntVector third = ints(w, hmask + j).lanewise(VectorOperators.ASHR, bit).and(1);
                            acc = toFloat(low.add(third.lanewise(VectorOperators.LSHL, 2)).sub(4)).mul(dl)
                                    .fma(FloatVector.fromArray(F, x, xs + j), acc);
                        }
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 110L * b;
                float d = f16(w, blk + 108);
                long lows = w.get(I64, blk + 96);
                int highs = w.get(U32, blk + 104);
                for (int s = 0; s < 16; s++) {
                    float dl = d * scale(lows, highs, s);
                    long q = blk + 32 + 32L * (s / 8) + 16L * (s % 2);
                    long hmask = blk + 16L * (s % 2);
                    int shift = 2 * ((s % 8) / 2);
                    int bit = 4 * (s / 8) + (s % 8) / 2;
                    int ys = outOff + 256 * b + 16 * s;
                    for (int j = 0; j < 16; j += L) {
                        IntVector low = ints(w, q + j).lanewise(VectorOperators.ASHR, shift).and(3);
                        IntVector third = ints(w, hmask + j).lanewise(VectorOperators.ASHR, bit).and(1);
                        toFloat(low.add(third.lanewise(VectorOperators.LSHL, 2)).sub(4)).mul(dl).intoArray(out, ys + j);
                    }
                }
            }
        }
    }

    /**
     * Q5_K super-blocks of 256 (176 bytes): fp16 d and dmin, 12 bytes of 6-bit scales and mins (as Q4_K's),
     * 32 bytes qh whose bit s is sub-block s's fifth bit, 128 bytes where sub-blocks 2g and 2g+1 are the low
     * and high nibbles of bytes 32g .. +32. Values d·sc·q − dmin·m, a product then a difference as the
     * codec computes them. (The integer kernel, {@link Q5Strips}, serves Q5_K wherever its copy fits the
     * heap; this one the rest, and exact math.)
     */
    static final class Q5_K implements RowOps {
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 176L * b;
                float d = f16(w, blk);
                float dmin = f16(w, blk + 2);
                int w0 = w.get(U32, blk + 4);
                int w1 = w.get(U32, blk + 8);
                int w2 = w.get(U32, blk + 12);
                for (int s = 0; s < 8; s++) {
                    float dl = d * Q4_K.scale(w0, w2, s);
                    float ml = dmin * Q4_K.min(w1, w2, s);
                    long qs = blk + 48 + 32L * (s / 2);
                    int shift = 4 * (s % 2);
                    int xs = xOff + 256 * b + 32 * s;
                    for (int j = 0; j < 32; j += L) {
                        IntVector q = ints(w, qs + j).lanewise(VectorOperators.ASHR, shift).and(0xF)
                                .add(ints(w, blk + 16 + j).lanewise(VectorOperators.ASHR, s).and(1).lanewise(VectorOperators.LSHL, 4));
                        acc = toFloat(q).mul(dl).sub(ml).fma(FloatVector.fromArray(F, x, xs + j), acc);
                    }
                }
            }
            for (VectorShuffle<Float> h : PanamaFloatOps.HALVES) {
                acc = acc.add(acc.rearrange(h));
            }
            return acc.lane(0);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 176L * b;
                float d = f16(w, blk);
                float dmin = f16(w, blk + 2);
                int w0 = w.get(U32, blk + 4);
                int w1 = w.get(U32, blk + 8);
                int w2 = w.get(U32, blk + 12);
                for (int s = 0; s < 8; s++) {
                    float dl = d * Q4_K.scale(w0, w2, s);
                    float ml = dmin * Q4_K.min(w1, w2, s);
                    long qs = blk + 48 + 32L * (s / 2);
                    int shift = 4 * (s % 2);
                    int ys = outOff + 256 * b + 32 * s;
                    for (int j = 0; j < 32; j += L) {
                        IntVector q = ints(w, qs + j).lanewise(VectorOperators.ASHR, shift).and(0xF)
                                .add(ints(w, blk + 16 + j).lanewise(VectorOperators.ASHR, s).and(1).lanewise(VectorOperators.LSHL, 4));
                        toFloat(q).mul(dl).sub(ml).intoArray(out, ys + j);
                    }
                }
            }
        }
    }
}
