package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import jdk.incubator.vector.ByteVector;
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
 * The Vector API row kernels, one per weight type that matters for speed, all written against one float
 * species {@link #F} (the machine's preferred width) and the byte/short species with the same lane count,
 * so the same code serves AVX2, AVX-512 and NEON. Loaded only through {@link RowOpsProvider}.
 *
 * <p>Each kernel decodes {@code L} weights into a float vector in registers (sign-extend or unpack
 * nibbles, convert, apply the block scale) and either fuses them into a dot product with the activations
 * or stores them. The block layouts are documented on the codecs in {@code dev.nabd.tensor}.
 */
final class PanamaRows {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

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
            case Q4_K -> new Q4_K();
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

    /** Signed bytes to floats. */
    static FloatVector toFloat(ByteVector v) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * L bytes at {@code off} widened to 32-bit lanes (sign-extended). Bit fields are unpacked on these
     * lanes: x86 has no byte shifts, and staying in one int species keeps C2's type profiles of the
     * Vector API monomorphic, which is what lets it inline (and so keep the vectors in registers).
     */
    static IntVector ints(MemorySegment w, long off) {
        return (IntVector) bytes(w, off).convertShape(VectorOperators.B2I, I, 0);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    /** The low nibbles, 0..15. */
    static IntVector low(IntVector v) {
        return v.and(0x0F);
    }

    /** The high nibbles, 0..15. */
    static IntVector high(IntVector v) {
        return v.lanewise(VectorOperators.ASHR, 4).and(0x0F);
    }

    /** F16 (IEEE half) or BF16 rows: the bits are widened to floats in registers. */
    static final class Half implements RowOps {
        private final boolean brain;

        Half(boolean brain) {
            this.brain = brain;
        }

        /**
         * L half-precision values at {@code off} as floats. BF16 is the top half of an F32. For F16 the
         * magnitude bits shifted into F32 position and scaled by 2^112 re-bias the exponent, which is exact
         * for normal and subnormal halves alike (infinities and NaNs do not occur in weights).
         */
        private FloatVector load(MemorySegment w, long off) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, off, LE).convertShape(VectorOperators.S2I, I, 0);
            if (brain) {
                return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            }
            FloatVector magnitude = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
            return magnitude.reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
        }

        /** One value, for the tail of a row shorter than a whole number of vectors. */
        private float scalar(MemorySegment w, long off) {
            short bits = w.get(F16, off);
            return brain ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                acc = load(w, off + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                sum += scalar(w, off + 2L * i) * x[xOff + i];
            }
            return sum;
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                load(w, off + 2L * i).intoArray(out, outOff + i);
            }
            for (; i < n; i++) {
                out[outOff + i] = scalar(w, off + 2L * i);
            }
        }
    }

    /** Q8_0: 34-byte blocks, fp16 scale then 32 signed bytes. */
    static final class Q8_0 implements RowOps {
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 32; b++) {
                long blk = off + 34L * b;
                int xb = xOff + 32 * b;
                FloatVector sum = FloatVector.zero(F);
                for (int j = 0; j < 32; j += L) {
                    sum = toFloat(bytes(w, blk + 2 + j)).fma(FloatVector.fromArray(F, x, xb + j), sum);
                }
                acc = sum.fma(FloatVector.broadcast(F, f16(w, blk)), acc);
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 32; b++) {
                long blk = off + 34L * b;
                float d = f16(w, blk);
                for (int j = 0; j < 32; j += L) {
                    toFloat(bytes(w, blk + 2 + j)).mul(d).intoArray(out, outOff + 32 * b + j);
                }
            }
        }
    }

    /**
     * The 32-value block types Q4_0, Q4_1, Q5_0 and Q5_1: fp16 d, for _1 an fp16 min m, for Q5 a
     * little-endian u32 of fifth bits, then 16 bytes whose low nibbles are values 0..15 and high nibbles
     * values 16..31. value = d·(q − bias) + m, with bias 8 (Q4_0), 16 (Q5_0) or 0 (the _1 types, which add m).
     * The dot product sums q·x (and x, for the min) per block and applies d (and m) once per block.
     */
    static final class Legacy implements RowOps {
        private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
        private final int blockBytes;
        private final int qsOffset;
        private final boolean hasMin;
        private final boolean fiveBits;
        private final FloatVector bias;

        Legacy(boolean hasMin, boolean fiveBits) {
            this.hasMin = hasMin;
            this.fiveBits = fiveBits;
            this.blockBytes = 2 + (hasMin ? 2 : 0) + (fiveBits ? 4 : 0) + 16;
            this.qsOffset = blockBytes - 16;
            this.bias = FloatVector.broadcast(F, hasMin ? 0 : fiveBits ? 16 : 8);
        }

        /** The L quants starting at value {@code first} (0 or 16, plus j) of the block, as floats without bias. */
        private FloatVector quants(MemorySegment w, long blk, int j, boolean highHalf) {
            IntVector v = ints(w, blk + qsOffset + j);
            IntVector q = highHalf ? high(v) : low(v);
            if (fiveBits) {
                int qh = w.get(U32, blk + (hasMin ? 4 : 2));
                q = q.or(IntVector.broadcast(I, qh).lanewise(VectorOperators.LSHR, IOTA.add(j + (highHalf ? 16 : 0)))
                        .and(1).lanewise(VectorOperators.LSHL, 4));
            }
            return toFloat(q);
        }

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 32; b++) {
                long blk = off + (long) blockBytes * b;
                int xb = xOff + 32 * b;
                FloatVector qx = FloatVector.zero(F);
                FloatVector sx = FloatVector.zero(F);
                for (int j = 0; j < 16; j += L) {
                    FloatVector xLo = FloatVector.fromArray(F, x, xb + j);
                    FloatVector xHi = FloatVector.fromArray(F, x, xb + 16 + j);
                    qx = quants(w, blk, j, false).sub(bias).fma(xLo, qx);
                    qx = quants(w, blk, j, true).sub(bias).fma(xHi, qx);
                    if (hasMin) {
                        sx = sx.add(xLo).add(xHi);
                    }
                }
                acc = qx.fma(FloatVector.broadcast(F, f16(w, blk)), acc);
                if (hasMin) {
                    acc = sx.fma(FloatVector.broadcast(F, f16(w, blk + 2)), acc);
                }
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 32; b++) {
                long blk = off + (long) blockBytes * b;
                FloatVector d = FloatVector.broadcast(F, f16(w, blk));
                FloatVector m = hasMin ? FloatVector.broadcast(F, f16(w, blk + 2)) : d.mul(bias).neg();
                for (int j = 0; j < 16; j += L) {
                    quants(w, blk, j, false).fma(d, m).intoArray(out, outOff + 32 * b + j);
                    quants(w, blk, j, true).fma(d, m).intoArray(out, outOff + 32 * b + 16 + j);
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
        private static int scale(int w0, int w2, int j) {
            return j < 4 ? (w0 >>> (8 * j)) & 63 : ((w2 >>> (8 * (j - 4))) & 0xF) | (((w0 >>> (8 * (j - 4) + 6)) & 3) << 4);
        }

        private static int min(int w1, int w2, int j) {
            return j < 4 ? (w1 >>> (8 * j)) & 63 : ((w2 >>> (8 * (j - 4) + 4)) & 0xF) | (((w1 >>> (8 * (j - 4) + 6)) & 3) << 4);
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
                for (int g = 0; g < 4; g++) {
                    FloatVector dLo = FloatVector.broadcast(F, d * scale(w0, w2, 2 * g));
                    FloatVector mLo = FloatVector.broadcast(F, -dmin * min(w1, w2, 2 * g));
                    FloatVector dHi = FloatVector.broadcast(F, d * scale(w0, w2, 2 * g + 1));
                    FloatVector mHi = FloatVector.broadcast(F, -dmin * min(w1, w2, 2 * g + 1));
                    int xs = xOff + 256 * b + 64 * g;
                    for (int j = 0; j < 32; j += L) {
                        IntVector v = ints(w, blk + 16 + 32L * g + j);
                        acc = toFloat(low(v)).fma(dLo, mLo).fma(FloatVector.fromArray(F, x, xs + j), acc);
                        acc = toFloat(high(v)).fma(dHi, mHi).fma(FloatVector.fromArray(F, x, xs + 32 + j), acc);
                    }
                }
            }
            return acc.reduceLanes(VectorOperators.ADD);
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
                for (int g = 0; g < 4; g++) {
                    FloatVector dLo = FloatVector.broadcast(F, d * scale(w0, w2, 2 * g));
                    FloatVector mLo = FloatVector.broadcast(F, -dmin * min(w1, w2, 2 * g));
                    FloatVector dHi = FloatVector.broadcast(F, d * scale(w0, w2, 2 * g + 1));
                    FloatVector mHi = FloatVector.broadcast(F, -dmin * min(w1, w2, 2 * g + 1));
                    int ys = outOff + 256 * b + 64 * g;
                    for (int j = 0; j < 32; j += L) {
                        IntVector v = ints(w, blk + 16 + 32L * g + j);
                        toFloat(low(v)).fma(dLo, mLo).intoArray(out, ys + j);
                        toFloat(high(v)).fma(dHi, mHi).intoArray(out, ys + 32 + j);
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
     */
    static final class Q6_K implements RowOps {
        /**
         * A 6-bit quant, (nibble | two bits of qh at {@code shift} << 4) − 32, as floats. The four quants
         * that share a byte of qh take its bits 0-1, 2-3, 4-5 and 6-7.
         */
        private static FloatVector six(IntVector nibble, IntVector qh, int shift) {
            return toFloat(nibble.or(qh.lanewise(VectorOperators.ASHR, shift).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32));
        }

        // The loops over `part` (values l and l+64 from the low and high nibbles of ql[l], then l+32 and
        // l+96 from ql[l+32]) are kept as loops on purpose: written out four times, the body grows past
        // what C2 inlines and the vectors end up boxed on the heap, eight times slower.
        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 210L * b;
                float d = f16(w, blk + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = blk + 64L * half;
                    long sc = blk + 192 + 8L * half;
                    int y = xOff + 256 * b + 128 * half;
                    for (int l = 0; l < 32; l += L) {
                        IntVector h = ints(w, blk + 128 + 32L * half + l);
                        int is = l / 16;
                        for (int part = 0; part < 2; part++) {
                            IntVector q = ints(w, ql + 32 * part + l);
                            float sLo = d * w.get(ValueLayout.JAVA_BYTE, sc + is + 2 * part);
                            float sHi = d * w.get(ValueLayout.JAVA_BYTE, sc + is + 2 * part + 4);
                            acc = six(low(q), h, 2 * part).mul(sLo).fma(FloatVector.fromArray(F, x, y + 32 * part + l), acc);
                            acc = six(high(q), h, 2 * part + 4).mul(sHi).fma(FloatVector.fromArray(F, x, y + 64 + 32 * part + l), acc);
                        }
                    }
                }
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            for (int b = 0; b < n / 256; b++) {
                long blk = off + 210L * b;
                float d = f16(w, blk + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = blk + 64L * half;
                    long sc = blk + 192 + 8L * half;
                    int y = outOff + 256 * b + 128 * half;
                    for (int l = 0; l < 32; l += L) {
                        IntVector h = ints(w, blk + 128 + 32L * half + l);
                        int is = l / 16;
                        for (int part = 0; part < 2; part++) {
                            IntVector q = ints(w, ql + 32 * part + l);
                            float sLo = d * w.get(ValueLayout.JAVA_BYTE, sc + is + 2 * part);
                            float sHi = d * w.get(ValueLayout.JAVA_BYTE, sc + is + 2 * part + 4);
                            six(low(q), h, 2 * part).mul(sLo).intoArray(out, y + 32 * part + l);
                            six(high(q), h, 2 * part + 4).mul(sHi).intoArray(out, y + 64 + 32 * part + l);
                        }
                    }
                }
            }
        }
    }
}
