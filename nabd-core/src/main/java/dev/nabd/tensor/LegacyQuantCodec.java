package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.f16;
import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.putF16;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;

/**
 * The legacy 4- and 5-bit types Q4_0, Q4_1, Q5_0 and Q5_1: blocks of 32 values.
 *
 * <pre>
 * Q4_0 (18 bytes): d fp16 | qs[16]
 * Q4_1 (20 bytes): d fp16 | m fp16 | qs[16]
 * Q5_0 (22 bytes): d fp16 | qh u32 | qs[16]
 * Q5_1 (24 bytes): d fp16 | m fp16 | qh u32 | qs[16]
 * </pre>
 *
 * Byte {@code qs[j]} holds value j in its low nibble and value j + 16 in its high nibble (so a block
 * splits into two halves, not interleaved pairs). The 5-bit types keep each value's fifth bit in the
 * little-endian u32 {@code qh}: bit i for value i. The "_0" types are symmetric,
 * {@code x = (q - 2^(bits-1)) * d}; the "_1" types carry a min, {@code x = q * d + m}.
 */
final class LegacyQuantCodec implements BlockCodec {
    static final LegacyQuantCodec Q4_0 = new LegacyQuantCodec(GgmlType.Q4_0, 4, false);
    static final LegacyQuantCodec Q4_1 = new LegacyQuantCodec(GgmlType.Q4_1, 4, true);
    static final LegacyQuantCodec Q5_0 = new LegacyQuantCodec(GgmlType.Q5_0, 5, false);
    static final LegacyQuantCodec Q5_1 = new LegacyQuantCodec(GgmlType.Q5_1, 5, true);

    private static final int QK = 32;

    private final GgmlType type;
    private final boolean hasMin;
    private final boolean hasHighBits;
    /** Largest quant: 15 or 31. */
    private final int qmax;
    /** Zero point of the symmetric types: 8 or 16. */
    private final int zero;
    private final int qhOffset;
    private final int qsOffset;

    private LegacyQuantCodec(GgmlType type, int bits, boolean hasMin) {
        this.type = type;
        this.hasMin = hasMin;
        this.hasHighBits = bits == 5;
        this.qmax = (1 << bits) - 1;
        this.zero = 1 << (bits - 1);
        this.qhOffset = hasMin ? 4 : 2;
        this.qsOffset = qhOffset + (hasHighBits ? 4 : 0);
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
            int y = dstOffset + b * QK;
            float d = f16(src, block);
            float m = hasMin ? f16(src, block + 2) : 0f;
            int qh = hasHighBits ? src.get(BlockBytes.LE_INT, block + qhOffset) : 0;
            for (int j = 0; j < QK / 2; j++) {
                int q = u8(src, block + qsOffset + j);
                int q0 = (q & 0xF) | ((qh >>> j) & 1) << 4;
                int q1 = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
                if (hasMin) {
                    dst[y + j] = q0 * d + m;
                    dst[y + j + 16] = q1 * d + m;
                } else {
                    dst[y + j] = (q0 - zero) * d;
                    dst[y + j + 16] = (q1 - zero) * d;
                }
            }
        }
    }

    /**
     * As ggml's {@code quantize_row_q4_0_ref} etc. Symmetric: {@code d = max / -zero} where max is the
     * signed value of largest magnitude (so it maps to quant 0 and the opposite extreme may clip at
     * qmax), {@code q = min(qmax, trunc(x/d + zero + 0.5))}. With min: {@code d = (max - min) / qmax},
     * {@code q = min(qmax, trunc((x - min)/d + 0.5))}.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        BlockBytes.checkCount(type, n);
        int bytes = type.bytesPerBlock();
        for (int b = 0; b < n / QK; b++) {
            long block = offset + (long) b * bytes;
            int x = srcOffset + b * QK;
            float d;
            float min = 0f;
            float bias;
            if (hasMin) {
                min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (int j = 0; j < QK; j++) {
                    float v = src[x + j];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
                d = (max - min) / qmax;
                bias = 0.5f;
                putF16(dst, block + 2, min);
            } else {
                float amax = 0f;
                float max = 0f;
                for (int j = 0; j < QK; j++) {
                    float v = src[x + j];
                    if (amax < Math.abs(v)) {
                        amax = Math.abs(v);
                        max = v;
                    }
                }
                d = max / -zero;
                bias = zero + 0.5f;
            }
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(dst, block, d);
            int qh = 0;
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(qmax, (int) ((src[x + j] - min) * id + bias));
                int q1 = Math.min(qmax, (int) ((src[x + j + 16] - min) * id + bias));
                put8(dst, block + qsOffset + j, (q0 & 0xF) | (q1 & 0xF) << 4);
                qh |= (q0 >>> 4 & 1) << j | (q1 >>> 4 & 1) << (j + 16);
            }
            if (hasHighBits) {
                dst.set(BlockBytes.LE_INT, block + qhOffset, qh);
            }
        }
    }
}
