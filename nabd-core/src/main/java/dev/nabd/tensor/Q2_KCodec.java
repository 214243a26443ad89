package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Q2_K: super-blocks of 256 values in 84 bytes, sixteen sub-blocks of 16 values with a 4-bit scale and
 * a 4-bit min each; value = {@code d·sc · q - dmin·m}, q in 0..3.
 *
 * <pre>
 * offset  size  field
 *      0    16  scales[16]  sub-block j: scale in the low nibble, min in the high nibble
 *     16    64  qs[64]      2-bit quants (below)
 *     80     2  d           fp16 super-scale of the scales
 *     82     2  dmin        fp16 super-scale of the mins
 * </pre>
 *
 * The quants come in two halves of 128 values, each using 32 bytes of qs: value {@code 128h + 32k + l}
 * (k 0..3, l 0..31) is bits {@code 2k..2k+1} of byte {@code 32h + l}. A group of 32 therefore covers
 * two sub-blocks of 16.
 */
final class Q2_KCodec implements BlockCodec {
    static final Q2_KCodec INSTANCE = new Q2_KCodec();

    private static final int QK = 256;
    private static final int BYTES = 84;
    private static final int QS = 16;
    private static final int D = 80;
    private static final int DMIN = 82;

    private Q2_KCodec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(GgmlType.Q2_K, n);
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            float d = f16(src, block + D);
            float dmin = f16(src, block + DMIN);
            int y = dstOffset + b * QK;
            for (int sub = 0; sub < 16; sub++) {
                int sc = u8(src, block + sub);
                float dl = d * (sc & 0xF);
                float ml = dmin * (sc >>> 4);
                // sub-block sub = 8h + 2k + s covers bytes 32h + 16s .. +16, bit pair k
                long q = block + QS + 32L * (sub / 8) + 16L * (sub % 2);
                int shift = 2 * ((sub % 8) / 2);
                for (int l = 0; l < 16; l++) {
                    dst[y++] = dl * ((u8(src, q + l) >>> shift) & 3) - ml;
                }
            }
        }
    }

    /** As ggml's {@code quantize_row_q2_K_ref} (no importance matrix). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(GgmlType.Q2_K, n);
        int[] quants = new int[QK];
        int[] laux = new int[16];
        float[] weights = new float[16];
        float[] scales = new float[16];
        float[] mins = new float[16];
        int[] packed = new int[16];
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * BYTES;
            int x = srcOffset + b * QK;
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 16; j++) {
                for (int l = 0; l < 16; l++) {
                    weights[l] = Math.abs(src[x + 16 * j + l]);
                }
                scales[j] = QuantMath.makeQkx2Quants(16, 3, src, x + 16 * j, weights, quants, 16 * j, laux,
                        -0.5f, 0.1f, 15, true, mins, j);
                if (scales[j] > maxScale) {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin) {
                    maxMin = mins[j];
                }
            }
            if (maxScale > 0) {
                float iscale = 15f / maxScale;
                for (int j = 0; j < 16; j++) {
                    packed[j] = QuantMath.nearestInt(iscale * scales[j]) & 0xFF;
                }
                putF16(dst, block + D, maxScale / 15f);
            } else {
                Arrays.fill(packed, 0);
                putF16(dst, block + D, 0f);
            }
            if (maxMin > 0) {
                float iscale = 15f / maxMin;
                for (int j = 0; j < 16; j++) {
                    packed[j] = (packed[j] | QuantMath.nearestInt(iscale * mins[j]) << 4) & 0xFF;
                }
                putF16(dst, block + DMIN, maxMin / 15f);
            } else {
                putF16(dst, block + DMIN, 0f);
            }
            float dAll = f16(dst, block + D);
            float dminAll = f16(dst, block + DMIN);
            for (int j = 0; j < 16; j++) {
                put8(dst, block + j, packed[j]);
                float d = dAll * (packed[j] & 0xF);
                if (d == 0) {
                    continue;
                }
                float dm = dminAll * (packed[j] >>> 4);
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantMath.nearestInt((src[x + 16 * j + ii] + dm) / d);
                    quants[16 * j + ii] = Math.max(0, Math.min(3, l));
                }
            }
            packTwoBit(quants, dst, block + QS);
        }
    }

    /**
     * Packs 256 two-bit quants: byte {@code 32h + l} gets values {@code 128h + l + 32k} at bits 2k
     * (shared with Q3_K's low bits).
     */
    static void packTwoBit(int[] quants, MemorySegment dst, long qs) {
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int j = 128 * h + l;
                put8(dst, qs + 32L * h + l,
                        quants[j] | quants[j + 32] << 2 | quants[j + 64] << 4 | quants[j + 96] << 6);
            }
        }
    }
}
