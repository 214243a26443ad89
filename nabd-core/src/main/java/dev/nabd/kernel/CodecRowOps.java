package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodec;

import java.lang.foreign.MemorySegment;

/**
 * {@link RowOps} for any type: decode the row with its {@link BlockCodec}, then a float dot product. Used
 * for types without a vector kernel of their own and without the Vector API. The decode buffer is one
 * per thread, so instances can be shared.
 */
final class CodecRowOps implements RowOps {
    private final BlockCodec codec;
    private final FloatOps ops;
    private final ThreadLocal<float[]> buffer = ThreadLocal.withInitial(() -> new float[0]);

    CodecRowOps(BlockCodec codec, FloatOps ops) {
        this.codec = codec;
        this.ops = ops;
    }

    @Override
    public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        float[] row = buffer.get();
        if (row.length < n) {
            row = new float[n];
            buffer.set(row);
        }
        codec.dequantize(w, off, row, 0, n);
        return ops.dot(row, 0, x, xOff, n);
    }

    @Override
    public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
        codec.dequantize(w, off, out, outOff, n);
    }
}
