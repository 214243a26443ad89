package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.s8;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 values in 210 bytes, sixteen sub-blocks of 16 values with a signed 8-bit
 * scale each; value = {@code (d · sc) · (q - 32)}, q in 0..63 (symmetric, no min).
 *
 * <pre>
 * offset  size  field
 *      0   128  ql[128]     low 4 bits of each quant
 *    128    64  qh[64]      high 2 bits of each quant
 *    192    16  scales[16]  int8 sub-block scales
 *    208     2  d           fp16 super-scale
 * </pre>
 *
 * Two halves of 128 values, each with 64 bytes of ql and 32 of qh. In half h, for l 0..31 and
 * k 0..3, value {@code 128h + 32k + l} takes its low nibble from {@code ql[64h + l + 32·(k % 2)]}
 * (low nibble for k < 2, high nibble for k ≥ 2) and its top two bits from bits {@code 2k..2k+1} of
 * {@code qh[32h + l]}.
 */
final class Q6_KCodec implements BlockCodec {
    static final Q6_KCodec INSTANCE = new Q6_KCodec();

    private static final int QK = 256;
    private static final int BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    private Q6_KCodec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(GgmlType.Q6_K, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            float d = f16(src, block + D);
            int y = dstOffset + b * QK;
            for (int sub = 0; sub < 16; sub++) {
                // sub-block sub = 8h + 2k + s covers values 128h + 32k + 16s .. +16
                int h = sub / 8;
                int k = (sub % 8) / 2;
                int first = 16 * (sub % 2);
                float dl = d * s8(src, block + SCALES + sub);
                long ql = block + 64L * h + 32L * (k % 2) + first;
                long qh = block + QH + 32L * h + first;
                int lowShift = 4 * (k / 2);
                int highShift = 2 * k;
                for (int l = 0; l < 16; l++) {
                    int q = ((u8(src, ql + l) >>> lowShift) & 0xF) | ((u8(src, qh + l) >>> highShift) & 3) << 4;
                    dst[y++] = dl * (q - 32);
                }
            }
        }
    }

    /** As ggml's {@code quantize_row_q6_K_ref} (no importance matrix). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(GgmlType.Q6_K, n);
        int[] quants = new int[QK];
        float[] scales = new float[16];
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int x = srcOffset + b * QK;
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int j = 0; j < 16; j++) {
                scales[j] = QuantMath.makeQxQuants(16, 32, src, x + 16 * j, quants, 16 * j);
                float abs = Math.abs(scales[j]);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scales[j];
                }
            }
            if (maxAbsScale < QuantMath.GROUP_MAX_EPS) {
                BlockBytes.zero(dst, block, BYTES);
                continue;
            }

            float iscale = -128f / maxScale;
            putF16(dst, block + D, 1 / iscale);
            for (int j = 0; j < 16; j++) {
                put8(dst, block + SCALES + j, Math.min(127, QuantMath.nearestInt(iscale * scales[j])));
            }

            float dAll = f16(dst, block + D);
            for (int j = 0; j < 16; j++) {
                float d = dAll * s8(dst, block + SCALES + j);
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantMath.nearestInt(src[x + 16 * j + ii] / d);
                    quants[16 * j + ii] = Math.max(-32, Math.min(31, l)) + 32;
                }
            }

            for (int h = 0; h < 2; h++) {
                for (int l = 0; l < 32; l++) {
                    int j = 128 * h + l;
                    put8(dst, block + 64L * h + l, (quants[j] & 0xF) | (quants[j + 64] & 0xF) << 4);
                    put8(dst, block + 64L * h + 32 + l, (quants[j + 32] & 0xF) | (quants[j + 96] & 0xF) << 4);
                    put8(dst, block + QH + 32L * h + l, quants[j] >> 4 | (quants[j + 32] >> 4) << 2
                            | (quants[j + 64] >> 4) << 4 | (quants[j + 96] >> 4) << 6);
                }
            }
        }
    }
}
