package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;

/** F16: little-endian IEEE half-precision values, 2 bytes each; written rounded to nearest even. */
final class F16Codec implements BlockCodec {
    static final F16Codec INSTANCE = new F16Codec();

    private F16Codec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = BlockBytes.f16(src, offset + 2L * i);
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        for (int i = 0; i < n; i++) {
            BlockBytes.putF16(dst, offset + 2L * i, src[srcOffset + i]);
        }
    }
}
