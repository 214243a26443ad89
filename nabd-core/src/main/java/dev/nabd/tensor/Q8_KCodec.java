package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.s8;

import java.lang.foreign.MemorySegment;

/**
 * Q8_K: the activation type K-quant weights are multiplied with; super-blocks of 256 values in 292 bytes.
 *
 * <pre>
 * offset  size  field
 *      0     4  d          f32 scale (not fp16: activations need the range)
 *      4   256  qs[256]    int8 quants; value i = d * qs[i]
 *    260    32  bsums[16]  int16 sums of qs over each group of 16, which the K-quant dot products use
 *                          to apply the sub-block mins without touching the quants
 * </pre>
 *
 * Quantised as {@code quantize_row_q8_K_ref}: with {@code max} the signed value of largest magnitude,
 * {@code iscale = -127/max}, {@code qs[i] = min(127, nearest_int(iscale * x[i]))} (ties to even) and
 * {@code d = 1/iscale}; so d carries max's opposite sign and max itself maps to -127.
 */
final class Q8_KCodec implements BlockCodec {
    static final Q8_KCodec INSTANCE = new Q8_KCodec();

    private static final int QK = 256;
    private static final int BYTES = 292;
    private static final int QS = 4;
    private static final int BSUMS = 260;

    private Q8_KCodec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_K;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(GgmlType.Q8_K, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int y = dstOffset + b * QK;
            float d = src.get(BlockBytes.LE_FLOAT, block);
            for (int j = 0; j < QK; j++) {
                dst[y + j] = d * s8(src, block + QS + j);
            }
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(GgmlType.Q8_K, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int x = srcOffset + b * QK;
            float max = QuantMath.largestMagnitude(src, x, QK);
            float amax = Math.abs(max);
            if (amax == 0) {
                // ggml leaves bsums unwritten here; zeros are what they would sum to.
                BlockBytes.zero(dst, block, BYTES);
                continue;
            }
            float iscale = -127f / max;
            for (int g = 0; g < QK / 16; g++) {
                int sum = 0;
                for (int j = 16 * g; j < 16 * g + 16; j++) {
                    int q = Math.min(127, QuantMath.nearestInt(iscale * src[x + j]));
                    put8(dst, block + QS + j, q);
                    sum += (byte) q;
                }
                dst.set(BlockBytes.LE_SHORT, block + BSUMS + 2L * g, (short) sum);
            }
            dst.set(BlockBytes.LE_FLOAT, block, 1 / iscale);
        }
    }
}
