package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every row kernel in use (the Vector API ones where available) against the codec's dequantisation and
 * a double-precision dot product: the decoded row bit for bit (up to the single rounding of a fused
 * multiply-add), the dot product to float accuracy.
 */
class RowOpsTest {

    /**
     * With the Vector API in use, every type that has a vector row kernel gets it, at each width the suite
     * runs (512, 256 and 128 bits): the kernels' class once failed to initialise at 128 bits (no vector of
     * four bytes), and every type then silently went through its scalar codec.
     */
    @Test
    void vectorRowKernelsAreUsedWheneverTheVectorApiIs() {
        assumeTrue(FloatOpsProvider.get() instanceof PanamaFloatOps, "the Vector API is not in use");
        for (GgmlType t : List.of(GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0,
                GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K)) {
            assertThat(RowOpsProvider.of(t)).as("%s at %d float lanes", t, FloatOpsProvider.get().lanes()).isNotInstanceOf(CodecRowOps.class);
        }
    }

    private static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K,
            GgmlType.Q6_K};

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : TYPES) {
            for (int seed = 0; seed < 8; seed++) {
                out.add(Arguments.of(t, seed));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("cases")
    void kernelsAgreeWithTheCodec(GgmlType type, int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 256 * (1 + r.nextInt(4));
        float[] values = new float[n];
        float[] x = new float[n + 7];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (r.nextGaussian() * (seed % 2 == 0 ? 0.05 : 3.0));
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        // Two rows, read at an odd offset, so the kernel must use the row offset it is given.
        int rowBytes = (int) type.bytesFor(n);
        MemorySegment seg = MemorySegment.ofArray(new byte[1 + 2 * rowBytes]);
        BlockCodecs.of(type).quantize(values, 0, seg, 1 + rowBytes, n);

        float[] expected = new float[n];
        BlockCodecs.of(type).dequantize(seg, 1 + rowBytes, expected, 0, n);
        RowOps k = RowOpsProvider.of(type);
        float[] decoded = new float[n + 5];
        k.dequantize(seg, 1 + rowBytes, decoded, 5, n);
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            assertThat(decoded[5 + i]).as("value %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(Math.ulp(expected[i]) * 2 + 1e-30f));
            exact += (double) expected[i] * x[3 + i];
            magnitude += Math.abs((double) expected[i] * x[3 + i]);
        }
        float dot = k.dot(seg, 1 + rowBytes, x, 3, n);
        assertThat((double) dot).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-6));
    }

    /**
     * Every finite F16 and BF16 bit pattern (normal, subnormal, both zeros, both signs) decodes to exactly
     * the float Java's own conversion gives: the vector kernels widen halves with shifts, a mask and a
     * scale, and one wrong bit there would shift whole ranges of weights.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = GgmlType.class, names = {"F16", "BF16"})
    void everyHalfBitPatternDecodesExactly(GgmlType type) {
        short[] bits = finiteHalves(type);
        int n = bits.length;
        MemorySegment seg = MemorySegment.ofArray(new byte[2 * n]);
        for (int i = 0; i < n; i++) {
            seg.set(LE_SHORT, 2L * i, bits[i]);
        }
        float[] decoded = new float[n];
        RowOpsProvider.of(type).dequantize(seg, 0, decoded, 0, n);
        for (int i = 0; i < n; i++) {
            int b = bits[i] & 0xFFFF;
            float expected = type == GgmlType.F16 ? Float.float16ToFloat((short) b) : Float.intBitsToFloat(b << 16);
            assertThat(Float.floatToRawIntBits(decoded[i])).as("bits %04x", b).isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    /** Float rows (F32, F16, BF16: the KV cache and small heads) of any length, not only whole vectors. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("oddLengths")
    void floatRowsOfAnyLength(GgmlType type, int n) {
        SplittableRandom r = new SplittableRandom(n);
        float[] values = new float[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) r.nextGaussian();
            x[i] = (float) r.nextGaussian();
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(n) + 2]);
        BlockCodecs.of(type).quantize(values, 0, seg, 2, n);
        float[] expected = new float[n];
        BlockCodecs.of(type).dequantize(seg, 2, expected, 0, n);
        float[] decoded = new float[n];
        RowOps k = RowOpsProvider.of(type);
        k.dequantize(seg, 2, decoded, 0, n);
        assertThat(decoded).containsExactly(expected);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) expected[i] * x[i];
        }
        assertThat((double) k.dot(seg, 2, x, 0, n)).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-4 * n));
    }

    /**
     * dot4, given the activations times its dot4Scale, gives each row's dot bit for bit, whichever kernel
     * answers it, for whole vectors and tails.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("dot4Lengths")
    void dot4IsFourDots(GgmlType type, int n) {
        SplittableRandom r = new SplittableRandom(n * 31L + type.ordinal());
        int rowBytes = (int) type.bytesFor(n);
        int rows = 8;
        MemorySegment seg = MemorySegment.ofArray(new byte[3 + rows * rowBytes]);
        for (int row = 0; row < rows; row++) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) r.nextGaussian();
            }
            BlockCodecs.of(type).quantize(values, 0, seg, 3 + (long) row * rowBytes, n);
        }
        float[] x = new float[n + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        RowOps k = RowOpsProvider.of(type);
        // Rows 1, 3, 5 and 7 (two rows apart) into every third output from 2; x as dot4 wants it.
        float[] scaled = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            scaled[i] = x[i] * k.dot4Scale();
        }
        float[] out = new float[12];
        k.dot4(seg, 3 + rowBytes, 2L * rowBytes, scaled, 1, n, out, 2, 3);
        for (int j = 0; j < 4; j++) {
            int row = 1 + 2 * j;
            assertThat(out[2 + 3 * j]).as("row %d", row).isEqualTo(k.dot(seg, 3 + (long) row * rowBytes, x, 1, n));
        }
    }

    /**
     * F16 dot4 moves the weights' 2^112 onto the activations: still the bits of dot() for the extremes,
     * every finite half as a weight (subnormals included) against activations from the smallest F16
     * subnormal to ±65504, the range activations rounded to F16 take.
     */
    @org.junit.jupiter.api.Test
    void f16Dot4IsExactAtTheExtremes() {
        short[] bits = finiteHalves(GgmlType.F16);
        int n = bits.length - 3;   // 63485: whole vectors, then a tail (the finite halves are 3968 × 16)
        MemorySegment seg = MemorySegment.ofArray(new byte[4 * 2 * n]);
        for (int row = 0; row < 4; row++) {
            for (int i = 0; i < n; i++) {
                seg.set(LE_SHORT, 2L * (row * n + i), bits[(i + 997 * row) % n]);
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n];
        float[] scaled = new float[n];
        RowOps k = RowOpsProvider.of(GgmlType.F16);
        for (int i = 0; i < n; i++) {
            // Any F16 value: a random bit pattern, re-drawn while it is infinite or NaN; and the extremes.
            short h;
            do {
                h = (short) r.nextInt(1 << 16);
            } while (!Float.isFinite(Float.float16ToFloat(h)));
            x[i] = i % 97 == 0 ? 65504f * (i % 2 == 0 ? 1 : -1) : i % 89 == 0 ? 0x1p-24f : Float.float16ToFloat(h);
            scaled[i] = x[i] * k.dot4Scale();
        }
        float[] out = new float[4];
        k.dot4(seg, 0, 2L * n, scaled, 0, n, out, 0, 1);
        for (int row = 0; row < 4; row++) {
            assertThat(out[row]).as("row %d", row).isEqualTo(k.dot(seg, 2L * row * n, x, 0, n));
        }
    }

    private static final java.lang.foreign.ValueLayout.OfShort LE_SHORT =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Every F16 or BF16 bit pattern whose value is finite, in ascending order of the bits. */
    private static short[] finiteHalves(GgmlType type) {
        short[] bits = new short[1 << 16];
        int n = 0;
        for (int b = 0; b < 1 << 16; b++) {
            float value = type == GgmlType.F16 ? Float.float16ToFloat((short) b) : Float.intBitsToFloat(b << 16);
            if (Float.isFinite(value)) {
                bits[n++] = (short) b;
            }
        }
        return Arrays.copyOf(bits, n);
    }

    static List<Arguments> dot4Lengths() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : TYPES) {
            boolean floats = t == GgmlType.F32 || t == GgmlType.F16 || t == GgmlType.BF16;
            for (int n : floats ? new int[] {1, 17, 100, 256, 8192} : new int[] {256, 8192}) {
                out.add(Arguments.of(t, n));
            }
        }
        return out;
    }

    static List<Arguments> oddLengths() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16}) {
            for (int n : new int[] {1, 8, 17, 40, 64, 100}) {
                out.add(Arguments.of(t, n));
            }
        }
        return out;
    }
}
