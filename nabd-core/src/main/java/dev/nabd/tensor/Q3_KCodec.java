package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q3_K: super-blocks of 256 values in 110 bytes, sixteen sub-blocks of 16 values with a signed 6-bit
 * scale each; value = {@code d·sc · (q - 4)}, q in 0..7 (symmetric, no min).
 *
 * <pre>
 * offset  size  field
 *      0    32  hmask[32]   third (high) bit of each quant: value i is bit i / 32 of byte i % 32
 *     32    64  qs[64]      low 2 bits, laid out as in Q2_K (value 128h + 32k + l: bits 2k of byte 32h + l)
 *     96    12  scales[12]  sixteen 6-bit scales biased by 32, see {@link KScales}
 *    108     2  d           fp16 super-scale
 * </pre>
 *
 * A clear high bit means "subtract 4": ggml stores q + 4 split into 2 + 1 bits.
 */
final class Q3_KCodec implements BlockCodec {
    static final Q3_KCodec INSTANCE = new Q3_KCodec();

    private static final int QK = 256;
    private static final int BYTES = 110;
    private static final int QS = 32;
    private static final int SCALES = 96;
    private static final int D = 108;

    private Q3_KCodec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(GgmlType.Q3_K, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            float dAll = f16(src, block + D);
            int y = dstOffset + b * QK;
            for (int sub = 0; sub < 16; sub++) {
                float dl = dAll * KScales.scaleQ3(src, block + SCALES, sub);
                // sub-block sub = 8h + 2k + s: low bits at byte 32h + 16s + l, pair k; high bit 4h + k
                int firstByte = 16 * (sub % 2);
                long q = block + QS + 32L * (sub / 8) + firstByte;
                int k = (sub % 8) / 2;
                int shift = 2 * k;
                int hbit = 1 << (4 * (sub / 8) + k);
                for (int l = 0; l < 16; l++) {
                    int low = (u8(src, q + l) >>> shift) & 3;
                    int high = (u8(src, block + firstByte + l) & hbit) != 0 ? 0 : 4;
                    dst[y++] = dl * (low - high);
                }
            }
        }
    }

    /** As ggml's {@code quantize_row_q3_K_ref} (no importance matrix). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(GgmlType.Q3_K, n);
        int[] quants = new int[QK];
        float[] scales = new float[16];
        int[] biased = new int[16];
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int x = srcOffset + b * QK;
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < 16; j++) {
                scales[j] = QuantMath.makeQ3Quants(16, 4, src, x + 16 * j, quants, 16 * j);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            if (maxScale != 0) {
                float iscale = -32f / maxScale;
                for (int j = 0; j < 16; j++) {
                    int l = (byte) QuantMath.nearestInt(iscale * scales[j]);
                    biased[j] = Math.max(-32, Math.min(31, l)) + 32;
                }
                putF16(dst, block + D, 1 / iscale);
            } else {
                Arrays.fill(biased, 0);
                putF16(dst, block + D, 0f);
            }
            KScales.putQ3(dst, block + SCALES, biased);

            float dAll = f16(dst, block + D);
            for (int j = 0; j < 16; j++) {
                float d = dAll * KScales.scaleQ3(dst, block + SCALES, j);
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantMath.nearestInt(src[x + 16 * j + ii] / d);
                    quants[16 * j + ii] = Math.max(-4, Math.min(3, l)) + 4;
                }
            }

            BlockBytes.zero(dst, block, 32);
            for (int j = 0; j < QK; j++) {
                if (quants[j] > 3) {
                    long h = block + j % 32;
                    put8(dst, h, u8(dst, h) | 1 << (j / 32));
                    quants[j] -= 4;
                }
            }
            Q2_KCodec.packTwoBit(quants, dst, block + QS);
        }
    }
}
