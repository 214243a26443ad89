package dev.nabd.kernel;

import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.QuantMath;

/**
 * The form llama.cpp gives activations before multiplying them with weights of a type (ggml's
 * {@code vec_dot_type}): F16 weights meet activations rounded to F16, BF16 to BF16, the 32-value block
 * types Q8_0 blocks, the K-quants Q8_K blocks of 256. Multiplying with activations rounded the same way
 * reproduces llama.cpp's real output on a file rather than exact math on its stored weights.
 *
 * <p>{@link #round} replaces each value with the one its 8- or 16-bit form stands for; the float product
 * that follows then equals ggml's integer one up to float rounding. (Most quantised types have a true
 * integer kernel, {@link PackedMatrix}, fed by {@link Q8Activations} with the same rounding.)
 */
public enum ActivationFormat {
    /** Float activations (F32 weights). */
    EXACT(1),
    /** Rounded to IEEE half precision. */
    F16(1),
    /** Rounded to bfloat16, to nearest even as ggml does. */
    BF16(1),
    /** Blocks of 32: d = amax/127 as fp16, q = round-half-even(x·127/amax) (ggml's x86 quantize_row_q8_0). */
    Q8_0(32),
    /** Blocks of 256: d = max/−127 with the sign of the largest |x|, q = nearest(x/d) ≤ 127 (quantize_row_q8_K). */
    Q8_K(256);

    private final int block;

    ActivationFormat(int block) {
        this.block = block;
    }

    /** The form llama.cpp gives activations multiplied with weights of {@code type}. */
    public static ActivationFormat forWeights(GgmlType type) {
        return switch (type) {
            case F32 -> EXACT;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 -> Q8_0;
            default -> Q8_K;   // the K-quants
        };
    }

    /** Values per block: a row's length must be a multiple of it. */
    public int block() {
        return block;
    }

    /** out[outOff + i] = x[xOff + i] as this format represents it, for i &lt; n (a whole number of blocks). */
    public void round(float[] x, int xOff, float[] out, int outOff, int n) {
        if (n % block != 0) {
            throw new IllegalArgumentException(n + " values are not whole " + this + " blocks of " + block);
        }
        switch (this) {
            case EXACT -> System.arraycopy(x, xOff, out, outOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = Float.float16ToFloat(Float.floatToFloat16(x[xOff + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = bf16(x[xOff + i]);
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < n; b += 32) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) {
                        amax = Math.max(amax, Math.abs(x[xOff + b + i]));
                    }
                    float d = Q8Activations.scale(amax);
                    float id = Q8Activations.inverseScale(amax);
                    for (int i = 0; i < 32; i++) {
                        out[outOff + b + i] = (float) Math.rint(x[xOff + b + i] * id) * d;
                    }
                }
            }
            case Q8_K -> {
                for (int b = 0; b < n; b += 256) {
                    float max = QuantMath.largestMagnitude(x, xOff + b, 256);
                    if (max == 0) {
                        java.util.Arrays.fill(out, outOff + b, outOff + b + 256, 0f);
                        continue;
                    }
                    float iscale = -127f / max;
                    float d = 1 / iscale;
                    for (int i = 0; i < 256; i++) {
                        out[outOff + b + i] = Math.min(127, (int) Math.rint(iscale * x[xOff + b + i])) * d;
                    }
                }
            }
        }
    }

    /** Rounds to the nearest bfloat16, ties to even (NaN stays NaN). */
    private static float bf16(float v) {
        int u = Float.floatToRawIntBits(v);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return Float.intBitsToFloat((u | 0x00400000) & 0xffff0000);
        }
        return Float.intBitsToFloat((u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000);
    }
}
