package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A view of one tensor's bytes in its own type, usually a slice of a mapped model file. Weights stay in
 * this form: kernels read rows straight from {@link #data()}.
 *
 * @param name tensor name
 * @param type element type
 * @param shape ggml dimensions, row length first
 * @param data the encoded bytes
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {

    /** Values per row ({@code ne[0]}). */
    public int cols() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows (product of the other dimensions). */
    public int rows() {
        long r = 1;
        for (int i = 1; i < shape.length; i++) {
            r *= shape[i];
        }
        return Math.toIntExact(r);
    }

    /** Bytes per row. */
    public long rowBytes() {
        return type.bytesFor(shape[0]);
    }

    /** Dequantises row {@code row} into {@code dst[dstOff ..]}. */
    public void row(int row, float[] dst, int dstOff) {
        BlockCodecs.of(type).dequantize(data, row * rowBytes(), dst, dstOff, cols());
    }

    /** Every value as floats (for small tensors such as norms and biases). */
    public float[] toFloats() {
        float[] out = new float[Math.toIntExact((long) rows() * cols())];
        BlockCodecs.of(type).dequantize(data, 0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
