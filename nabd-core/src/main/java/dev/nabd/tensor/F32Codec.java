package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;

/** F32: plain little-endian IEEE single-precision values, 4 bytes each. */
final class F32Codec implements BlockCodec {
    static final F32Codec INSTANCE = new F32Codec();

    private F32Codec() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n) {
        MemorySegment.copy(src, BlockBytes.LE_FLOAT, offset, dst, dstOffset, n);
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n) {
        MemorySegment.copy(src, srcOffset, dst, BlockBytes.LE_FLOAT, offset, n);
    }
}
