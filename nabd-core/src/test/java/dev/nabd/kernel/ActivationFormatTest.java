package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Activations rounded to the forms ggml gives them before a product ({@code vec_dot_type}). */
class ActivationFormatTest {

    @Test
    void eachWeightTypeMeetsItsVecDotType() {
        assertThat(ActivationFormat.forWeights(GgmlType.F32)).isEqualTo(ActivationFormat.EXACT);
        assertThat(ActivationFormat.forWeights(GgmlType.F16)).isEqualTo(ActivationFormat.F16);
        assertThat(ActivationFormat.forWeights(GgmlType.BF16)).isEqualTo(ActivationFormat.BF16);
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0}) {
            assertThat(ActivationFormat.forWeights(t)).as("%s", t).isEqualTo(ActivationFormat.Q8_0);
        }
        for (GgmlType t : new GgmlType[] {GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K}) {
            assertThat(ActivationFormat.forWeights(t)).as("%s", t).isEqualTo(ActivationFormat.Q8_K);
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        float ulp = 0x1p-7f;   // bfloat16 keeps 7 fraction bits
        float[] x = {1f + ulp / 2, 1f + ulp + ulp / 2, 1f + ulp / 2 + 0x1p-20f, -3.5f, Float.NaN, Float.POSITIVE_INFINITY};
        float[] out = round(ActivationFormat.BF16, x);
        assertThat(out[0]).as("halfway, down to the even 1.0").isEqualTo(1f);
        assertThat(out[1]).as("halfway, up to the even 1 + 2ulp").isEqualTo(1f + 2 * ulp);
        assertThat(out[2]).as("past halfway").isEqualTo(1f + ulp);
        assertThat(out[3]).isEqualTo(-3.5f);
        assertThat(out[4]).isNaN();
        assertThat(out[5]).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void f16RoundsToNearestEven() {
        float ulp = 0x1p-10f;
        float[] out = round(ActivationFormat.F16, new float[] {1f + ulp / 2, 1f + 1.5f * ulp, 70000f, 1e-8f});
        assertThat(out).containsExactly(1f, 1f + 2 * ulp, Float.POSITIVE_INFINITY, 0f);
    }

    /** ggml's x86 quantize_row_q8_0: d = fp16(amax/127), q = rint(x·127/amax), halves to even. */
    @Test
    void q8_0RoundsHalvesToEvenOnTheBlockScale() {
        float[] x = new float[64];
        x[0] = 127f;    // amax 127: the multiplier is exactly 1, d exactly 1
        x[1] = 2.5f;
        x[2] = -3.5f;
        x[3] = 0.5f;
        x[4] = 1.4999999f;
        // the second block stays zero: scale 0, every value 0
        float[] out = round(ActivationFormat.Q8_0, x);
        assertThat(out[0]).isEqualTo(127f);
        assertThat(out[1]).as("2.5 to even").isEqualTo(2f);
        assertThat(out[2]).as("-3.5 to even").isEqualTo(-4f);
        assertThat(out[3]).isEqualTo(0f);
        assertThat(out[4]).isEqualTo(1f);
        for (int i = 32; i < 64; i++) {
            assertThat(out[i]).isEqualTo(0f);
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get());
        q.quantize(x, 64, 64, 1);
        assertThat(new int[] {q.quant(0, 0), q.quant(0, 1), q.quant(0, 2), q.quant(0, 3), q.quant(0, 4)})
                .containsExactly(127, 2, -4, 0, 1);
        assertThat(q.scale(0, 0)).isEqualTo(1f);
        assertThat(q.scale(0, 1)).isEqualTo(0f);
    }

    /** The scale is stored in fp16 while the quants use the float multiplier 127/amax, as on x86. */
    @Test
    void q8_0ScaleIsFp16ButTheMultiplierIsNot() {
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[32 * 40];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.pow(10, (i / 32) % 7 - 3));
        }
        Q8Activations q = new Q8Activations(FloatOpsProvider.get());
        q.quantize(x, x.length, x.length, 1);
        float[] out = round(ActivationFormat.Q8_0, x);
        for (int b = 0; b < 40; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(x[32 * b + i]));
            }
            short half = Float.floatToFloat16(amax / 127f);
            assertThat(q.scale(0, b)).isEqualTo(Float.float16ToFloat(half));
            for (int i = 0; i < 32; i++) {
                int expected = (int) Math.rint(x[32 * b + i] * (127f / amax));
                assertThat(q.quant(0, 32 * b + i)).isEqualTo(expected);
                assertThat(out[32 * b + i]).isEqualTo(expected * Float.float16ToFloat(half));
            }
        }
    }

    /** The vector and scalar operations quantise to the same integers, edge values included. */
    @Test
    void vectorAndScalarQuantisersAgree() {
        SplittableRandom r = new SplittableRandom(13);
        float[] x = new float[32 * 64 + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.pow(10, (i / 32) % 9 - 4));
        }
        // Exact halves on a block of amax 127 (multiplier 1), and a NaN, which becomes 0 either way.
        for (int i = 0; i < 32; i++) {
            x[i] = i == 0 ? 127f : (i % 2 == 0 ? -1 : 1) * (i + 0.5f);
        }
        x[40] = Float.NaN;
        int n = 32 * 64;
        Q8Activations vector = new Q8Activations(FloatOpsProvider.get());
        Q8Activations scalar = new Q8Activations(new ScalarFloatOps());
        vector.quantize(x, n, n, 1);
        scalar.quantize(x, n, n, 1);
        for (int i = 0; i < n; i++) {
            assertThat(vector.quant(0, i)).as("value %d", i).isEqualTo(scalar.quant(0, i));
        }
        for (int b = 0; b < 64; b++) {
            assertThat(Float.floatToIntBits(vector.scale(0, b))).isEqualTo(Float.floatToIntBits(scalar.scale(0, b)));
        }
        assertThat(vector.quant(0, 3)).as("3.5 to even").isEqualTo(4);
        assertThat(vector.quant(0, 4)).as("-4.5 to even").isEqualTo(-4);
        assertThat(vector.quant(0, 40)).isEqualTo(0);
        FloatOps v = FloatOpsProvider.get();
        for (int len : new int[] {0, 1, 7, 16, 31, 33, 100}) {
            assertThat(v.maxAbs(x, 100, len)).isEqualTo(new ScalarFloatOps().maxAbs(x, 100, len));
        }
    }

    /**
     * Q8_K's scale value, the first of largest magnitude, from the vector reductions as from the scan:
     * either sign larger, the two signs tied (the first wins), all zeros of both signs, a NaN (skipped),
     * the largest in the scalar tail.
     */
    @Test
    void vectorAndScalarLargestMagnitudesAgree() {
        FloatOps v = FloatOpsProvider.get();
        float[][] cases = new float[8][];
        SplittableRandom r = new SplittableRandom(15);
        for (int c = 0; c < cases.length; c++) {
            cases[c] = new float[256 + 3];
            for (int i = 0; i < cases[c].length; i++) {
                cases[c][i] = (float) r.nextGaussian();
            }
        }
        cases[0][17] = 9f;
        cases[1][17] = -9f;
        cases[2][17] = 9f;
        cases[2][200] = -9f;
        cases[3][17] = -9f;
        cases[3][200] = 9f;
        java.util.Arrays.fill(cases[4], 0f);
        cases[4][5] = -0f;
        cases[5][40] = Float.NaN;
        cases[5][41] = -9f;
        cases[6][257] = -9f;   // past the last whole vector
        cases[7][3] = Float.POSITIVE_INFINITY;
        float[] expected = {9f, -9f, 9f, -9f, 0f, -9f, -9f, Float.POSITIVE_INFINITY};
        for (int c = 0; c < cases.length; c++) {
            assertThat(v.largestMagnitude(cases[c], 0, cases[c].length)).as("case %d", c).isEqualTo(expected[c])
                    .isEqualTo(new ScalarFloatOps().largestMagnitude(cases[c], 0, cases[c].length));
        }
        assertThat(Float.floatToIntBits(v.largestMagnitude(cases[4], 0, 259))).as("all zeros: +0").isEqualTo(0);
    }

    /** The sums the kernels take off their unsigned sums: per 8 (times 32), per 32 (times 8, and d·Σq). */
    @Test
    void blockSumsAreSumsOfTheIntegers() {
        SplittableRandom r = new SplittableRandom(16);
        for (ActivationFormat f : new ActivationFormat[] {ActivationFormat.Q8_0, ActivationFormat.Q8_K}) {
            int cols = 512;
            int rows = 3;
            float[] x = new float[cols * rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * (1 + i % 5));
            }
            for (int i = cols + 256; i < cols + 512; i++) {
                // Subnormal: 127/amax overflows to infinity; the integers are then Java's casts of ±∞ to
                // int, then short (+∞: -1, -∞: 0), with d = ±0, and the float copy must be those integers.
                x[i] = (i % 2 == 0 ? 1 : -1) * 1e-40f;
            }
            Q8Activations q = new Q8Activations(FloatOpsProvider.get(), f);
            q.quantize(x, cols, cols, rows);
            for (int row = 0; row < rows; row++) {
                for (int o = 0; o < cols / 8; o++) {
                    int sum = 0;
                    for (int i = 0; i < 8; i++) {
                        sum += q.quant(row, 8 * o + i);
                    }
                    assertThat(q.octetSums()[row * cols / 8 + o]).as("%s row %d octet %d", f, row, o).isEqualTo((short) (32 * sum));
                }
                for (int b = 0; b < cols / 32; b++) {
                    int sum = 0;
                    for (int i = 0; i < 32; i++) {
                        sum += q.quant(row, 32 * b + i);
                        if (f == ActivationFormat.Q8_0) {
                            assertThat(q.floatQuants()[row * cols + 32 * b + i]).isEqualTo((float) q.quant(row, 32 * b + i));
                        }
                    }
                    assertThat(q.eightSums()[row * cols / 32 + b]).isEqualTo((short) (8 * sum));
                    assertThat(q.blockSum(row, b)).isEqualTo(q.scale(row, b) * sum);
                }
            }
            for (int i = 256; i < 512; i++) {
                // Q8_0 multiplies by +∞ (127/amax), Q8_K by −∞ (−127/max, max the first value, positive).
                boolean positiveProduct = (i % 2 == 0) == (f == ActivationFormat.Q8_0);
                assertThat(q.quant(1, i)).as("%s subnormal value %d", f, i).isEqualTo(positiveProduct ? -1 : 0);
            }
        }
    }

    /** Q8_K as the product sees it equals our Q8_K codec's round trip (quantize_row_q8_K_ref's bytes). */
    @Test
    void q8_KEqualsTheCodecsRoundTrip() {
        SplittableRandom r = new SplittableRandom(12);
        int n = 256 * 6;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (i < 256 ? 0.001 : 3));
        }
        x[300] = -50f;   // largest magnitude negative: it maps to +127
        java.util.Arrays.fill(x, 512, 768, 0f);   // an all-zero block
        MemorySegment bytes = MemorySegment.ofArray(new byte[(int) GgmlType.Q8_K.bytesFor(n)]);
        BlockCodecs.of(GgmlType.Q8_K).quantize(x, 0, bytes, 0, n);
        float[] expected = new float[n];
        BlockCodecs.of(GgmlType.Q8_K).dequantize(bytes, 0, expected, 0, n);
        assertThat(round(ActivationFormat.Q8_K, x)).containsExactly(expected);
    }

    /** The integer Q8_K form stands for the same values as ActivationFormat.Q8_K, with d·Σq per 32. */
    @Test
    void q8_KIntegersAreTheRoundedValues() {
        SplittableRandom r = new SplittableRandom(14);
        int n = 256 * 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (i < 256 ? 0.01 : 2));
        }
        x[400] = -30f;
        java.util.Arrays.fill(x, 512, 768, 0f);
        Q8Activations q = new Q8Activations(FloatOpsProvider.get(), ActivationFormat.Q8_K);
        q.quantize(x, n, n, 1);
        float[] rounded = round(ActivationFormat.Q8_K, x);
        assertThat(q.quant(0, 400)).as("the value of largest magnitude maps to -127, whatever its sign").isEqualTo(-127);
        for (int i = 0; i < n; i++) {
            assertThat(q.quant(0, i) * q.scale(0, i / 32)).as("value %d", i).isEqualTo(rounded[i]);
        }
        for (int b = 0; b < n / 32; b++) {
            int sum = 0;
            for (int i = 0; i < 32; i++) {
                sum += q.quant(0, 32 * b + i);
            }
            assertThat(q.blockSum(0, b)).isEqualTo(q.scale(0, b) * sum);
        }
        assertThatThrownBy(() -> new Q8Activations(FloatOpsProvider.get(), ActivationFormat.Q8_K).quantize(x, 32, 32, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }

    @Test
    void partBlocksAreRefused() {
        assertThatThrownBy(() -> ActivationFormat.Q8_K.round(new float[300], 0, new float[300], 0, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> new Q8Activations(FloatOpsProvider.get()).quantize(new float[40], 40, 40, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    }

    private static float[] round(ActivationFormat f, float[] x) {
        float[] padded = new float[x.length + 3];
        System.arraycopy(x, 0, padded, 3, x.length);
        float[] out = new float[x.length + 1];
        f.round(padded, 3, out, 1, x.length);
        return java.util.Arrays.copyOfRange(out, 1, out.length);
    }
}
