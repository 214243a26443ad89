package dev.nabd.gguf;

import dev.nabd.tensor.GgmlType;

/**
 * One entry of a GGUF tensor directory.
 *
 * @param name tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param shape ggml dimensions, fastest-varying first ({@code ne[0]} is the row length)
 * @param type element type
 * @param offset byte offset of the data from the start of the file's data section
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {

    /** Total number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of data this tensor occupies. */
    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    /** Length of one row ({@code ne[0]}). */
    public long rowLength() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Number of rows: the product of every dimension after the first. */
    public long rowCount() {
        return elementCount() / Math.max(1, rowLength());
    }

    /** The shape written as {@code [a, b, c]}. */
    public String shapeString() {
        return java.util.Arrays.toString(shape);
    }
}
