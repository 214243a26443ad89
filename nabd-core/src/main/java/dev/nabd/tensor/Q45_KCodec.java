package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K and Q5_K: super-blocks of 256 values, eight sub-blocks of 32 values with a 6-bit scale and a
 * 6-bit min each; value = {@code (d·sc) · q - (dmin·m)}, q in 0..15 (Q4_K) or 0..31 (Q5_K).
 *
 * <pre>
 * Q4_K (144 bytes)                      Q5_K (176 bytes)
 * offset size field                     offset size field
 *      0    2 d     fp16                     0    2 d     fp16
 *      2    2 dmin  fp16                     2    2 dmin  fp16
 *      4   12 scales (see KScales)           4   12 scales (see KScales)
 *     16  128 qs    low nibbles             16   32 qh    fifth bits
 *                                           48  128 qs    low nibbles
 * </pre>
 *
 * The quants come in four groups of 64 values, each using 32 bytes of qs: value {@code 64g + l}
 * (l 0..31) is the low nibble of byte {@code 32g + l}, value {@code 64g + 32 + l} its high nibble; so
 * sub-block {@code 2g} takes low nibbles and {@code 2g + 1} high nibbles. In Q5_K the fifth bit of value
 * {@code 64g + 32s + l} is bit {@code 2g + s} of {@code qh[l]}.
 */
final class Q45_KCodec implements BlockCodec {
    static final Q45_KCodec Q4_K = new Q45_KCodec(GgmlType.Q4_K, 15, -1f, 20);
    static final Q45_KCodec Q5_K = new Q45_KCodec(GgmlType.Q5_K, 31, -0.5f, 15);

    private static final int QK = 256;
    private static final int SCALES = 4;
    private static final int QH = 16;

    private final GgmlType type;
    private final boolean hasHighBits;
    private final int qmax;
    private final int qsOffset;
    /** make_qkx2_quants search of ggml's reference quantiser: first offset and number of steps. */
    private final float searchMin;
    private final int searchSteps;

    private Q45_KCodec(GgmlType type, int qmax, float searchMin, int searchSteps) {
        this.type = type;
        this.qmax = qmax;
        this.hasHighBits = qmax > 15;
        this.qsOffset = hasHighBits ? 48 : 16;
        this.searchMin = searchMin;
        this.searchSteps = searchSteps;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        BlockBytes.checkCount(type, n);
        int bytes = type.bytesPerBlock();
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * bytes;
            float d = f16(src, block);
            float dmin = f16(src, block + 2);
            int y = dstOffset + b * QK;
            for (int sub = 0; sub < 8; sub++) {
                float d1 = d * KScales.scaleK4(src, block + SCALES, sub);
                float m1 = dmin * KScales.minK4(src, block + SCALES, sub);
                long qs = block + qsOffset + 32L * (sub / 2);
                int shift = 4 * (sub % 2);
                for (int l = 0; l < 32; l++) {
                    int q = (u8(src, qs + l) >>> shift) & 0xF;
                    if (hasHighBits) {
                        q += ((u8(src, block + QH + l) >>> sub) & 1) << 4;
                    }
                    dst[y++] = d1 * q - m1;
                }
            }
        }
    }

    /** As ggml's {@code quantize_row_q4_K_ref} / {@code quantize_row_q5_K_ref} (no importance matrix). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(type, n);
        int bytes = type.bytesPerBlock();
        int[] quants = new int[QK];
        int[] laux = new int[32];
        float[] weights = new float[32];
        float[] scales = new float[8];
        float[] mins = new float[8];
        int[] ls = new int[8];
        int[] lm = new int[8];
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * bytes;
            int x = srcOffset + b * QK;
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 8; j++) {
                int xj = x + 32 * j;
                float sumX2 = 0;
                for (int l = 0; l < 32; l++) {
                    sumX2 += src[xj + l] * src[xj + l];
                }
                float avX = (float) Math.sqrt(sumX2 / 32);
                for (int l = 0; l < 32; l++) {
                    weights[l] = avX + Math.abs(src[xj + l]);
                }
                scales[j] = QuantMath.makeQkx2Quants(32, qmax, src, xj, weights, quants, 32 * j, laux,
                        searchMin, 0.1f, searchSteps, false, mins, j);
                if (scales[j] > maxScale) {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin) {
                    maxMin = mins[j];
                }
            }

            float invScale = maxScale > 0 ? 63f / maxScale : 0f;
            float invMin = maxMin > 0 ? 63f / maxMin : 0f;
            for (int j = 0; j < 8; j++) {
                // ggml stores nearest_int into a uint8_t before clamping to 63
                ls[j] = Math.min(63, QuantMath.nearestInt(invScale * scales[j]) & 0xFF);
                lm[j] = Math.min(63, QuantMath.nearestInt(invMin * mins[j]) & 0xFF);
            }
            KScales.putK4(dst, block + SCALES, ls, lm);
            putF16(dst, block, maxScale / 63f);
            putF16(dst, block + 2, maxMin / 63f);

            float dAll = f16(dst, block);
            float dminAll = f16(dst, block + 2);
            for (int j = 0; j < 8; j++) {
                float d = dAll * KScales.scaleK4(dst, block + SCALES, j);
                if (d == 0) {
                    continue;
                }
                float dm = dminAll * KScales.minK4(dst, block + SCALES, j);
                for (int ii = 0; ii < 32; ii++) {
                    int l = QuantMath.nearestInt((src[x + 32 * j + ii] + dm) / d);
                    quants[32 * j + ii] = Math.max(0, Math.min(qmax, l));
                }
            }

            long qs = block + qsOffset;
            for (int g = 0; g < 4; g++) {
                for (int l = 0; l < 32; l++) {
                    int lo = quants[64 * g + l];
                    int hi = quants[64 * g + 32 + l];
                    put8(dst, qs + 32L * g + l, (lo & 0xF) | (hi & 0xF) << 4);
                }
            }
            if (hasHighBits) {
                for (int l = 0; l < 32; l++) {
                    int bits = 0;
                    for (int sub = 0; sub < 8; sub++) {
                        bits |= (quants[32 * sub + l] >>> 4) << sub;
                    }
                    put8(dst, block + QH + l, bits);
                }
            }
        }
    }
}
