package dev.nabd.tensor;

import dev.nabd.testing.SharedData;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Shared helpers of the tensor tests: test data, error measures, raw block construction. */
final class TensorTestSupport {
    private TensorTestSupport() {
    }

    /** The shared golden data directory, {@code <projectRoot>/../shared/golden}. */
    static Path goldenDir() {
        return SharedData.shared().resolve("golden");
    }

    /** {@code n} samples of N(mean, sigma²). */
    static float[] gaussian(long seed, int n, double mean, double sigma) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + sigma * random.nextGaussian());
        }
        return x;
    }

    /** RMS of {@code a - b} divided by the RMS of {@code b}. */
    static double relativeRmsError(float[] a, float[] b) {
        double err = 0;
        double ref = 0;
        for (int i = 0; i < b.length; i++) {
            double d = (double) a[i] - b[i];
            err += d * d;
            ref += (double) b[i] * b[i];
        }
        return Math.sqrt(err / Math.max(ref, Double.MIN_NORMAL));
    }

    /** A native segment holding {@code bytes} (ints taken as unsigned bytes). */
    static MemorySegment segmentOf(Arena arena, int... bytes) {
        MemorySegment s = arena.allocate(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) bytes[i]);
        }
        return s;
    }

    /** Builds a block byte by byte: little-endian fields appended in order. */
    static final class BlockBuilder {
        private final byte[] bytes;
        private int pos;

        BlockBuilder(int size) {
            bytes = new byte[size];
        }

        BlockBuilder u8(int v) {
            bytes[pos++] = (byte) v;
            return this;
        }

        BlockBuilder u8s(int... vs) {
            for (int v : vs) {
                u8(v);
            }
            return this;
        }

        /** A 16-bit field given as raw bits (e.g. an fp16 or bf16), low byte first. */
        BlockBuilder u16(int bits) {
            return u8(bits).u8(bits >>> 8);
        }

        BlockBuilder u32(int bits) {
            return u16(bits).u16(bits >>> 16);
        }

        BlockBuilder f32(float v) {
            return u32(Float.floatToRawIntBits(v));
        }

        /** The block, checking that every byte was written; at offset 1 so reads are unaligned. */
        MemorySegment build(Arena arena) {
            if (pos != bytes.length) {
                throw new IllegalStateException("wrote " + pos + " of " + bytes.length + " bytes");
            }
            MemorySegment s = arena.allocate(bytes.length + 1L);
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 1, bytes.length);
            return s;
        }
    }

    /** Dequantises the block(s) that start at offset 1 of {@code seg} (see {@link BlockBuilder#build}). */
    static float[] dequantize(GgmlType type, MemorySegment seg, int n) {
        float[] out = new float[n];
        BlockCodecs.of(type).dequantize(seg, 1, out, 0, n);
        return out;
    }

    /** The fp16 bits nearest {@code v}. */
    static int f16(float v) {
        return Float.floatToFloat16(v) & 0xFFFF;
    }

    /** The value of fp16 bits. */
    static float half(int bits) {
        return Float.float16ToFloat((short) bits);
    }
}
