package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;

/**
 * BF16 ("brain float"): the upper 16 bits of an IEEE single, little-endian, 2 bytes each. Written as
 * ggml's {@code ggml_compute_fp32_to_bf16}: rounded to nearest even, NaNs kept NaN by setting the quiet
 * bit (truncating a NaN's payload could otherwise leave an infinity).
 */
final class BF16Codec implements BlockCodec {
    static final BF16Codec INSTANCE = new BF16Codec();

    private BF16Codec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            int bits = src.get(BlockBytes.LE_SHORT, offset + 2L * i) & 0xFFFF;
            dst[dstOffset + i] = Float.intBitsToFloat(bits << 16);
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        for (int i = 0; i < n; i++) {
            dst.set(BlockBytes.LE_SHORT, offset + 2L * i, toBf16(src[srcOffset + i]));
        }
    }

    /** The bf16 bits of {@code value}. */
    static short toBf16(float value) {
        int u = Float.floatToRawIntBits(value);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }
}
