package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.s8;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: blocks of 32 values in 34 bytes.
 *
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2    32  qs[32] int8 quants; value i = qs[i] * d
 * </pre>
 *
 * Quantised as {@code quantize_row_q8_0_ref}: {@code d = amax / 127} (stored as fp16), and
 * {@code qs[i] = roundf(x[i] / d)} computed as {@code x[i] * (1/d)} with the f32 (not the fp16) d,
 * rounding halfway cases away from zero.
 */
final class Q8_0Codec implements BlockCodec {
    static final Q8_0Codec INSTANCE = new Q8_0Codec();

    private static final int QK = 32;
    private static final int BYTES = 34;

    private Q8_0Codec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(GgmlType.Q8_0, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int y = dstOffset + b * QK;
            float d = f16(src, block);
            for (int j = 0; j < QK; j++) {
                dst[y + j] = s8(src, block + 2 + j) * d;
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(GgmlType.Q8_0, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int x = srcOffset + b * QK;
            float amax = 0;
            for (int j = 0; j < QK; j++) {
                amax = Math.max(amax, Math.abs(src[x + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(dst, block, d);
            for (int j = 0; j < QK; j++) {
                put8(dst, block + 2 + j, QuantMath.roundHalfAway(src[x + j] * id));
            }
        }
    }
}
