package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Converts between floats and the blocks of one ggml type.
 *
 * <p>Dequantisation is bit-exact with ggml's {@code dequantize_row_*}. Quantisation follows ggml's
 * reference quantisers ({@code quantize_row_*_ref}), so files we write read back the way llama.cpp
 * would write them.
 */
public interface BlockCodec {

    /** The type this codec reads and writes. */
    GgmlType type();

    /**
     * Dequantises {@code n} values (a multiple of the block size) stored at byte {@code offset} of
     * {@code src} into {@code dst[dstOffset .. dstOffset + n)}.
     */
    void dequantize(MemorySegment src, long offset, float[] dst, int dstOffset, int n);

    /**
     * Quantises {@code src[srcOffset .. srcOffset + n)} ({@code n} a multiple of the block size) into
     * {@code type().bytesFor(n)} bytes at byte {@code offset} of {@code dst}.
     */
    void quantize(float[] src, int srcOffset, MemorySegment dst, long offset, int n);
}
