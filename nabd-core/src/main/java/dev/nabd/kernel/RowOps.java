package dev.nabd.kernel;

import java.lang.foreign.MemorySegment;

/**
 * The two things a matrix product needs from one weight type: the dot product of a stored row with
 * float activations (decode: each weight byte is read once and used once), and the row decoded to floats
 * (prompt batches: decoded once, then used for every token).
 *
 * <p>Implementations exist per type on the Vector API ({@link RowOpsProvider}), with a fallback that
 * decodes through {@link dev.nabd.tensor.BlockCodec} for every type.
 */
public interface RowOps {

    /**
     * Σ_i w[i]·x[xOff + i] over the {@code n} values of the row stored at byte {@code off} of {@code w}:
     * bit for bit {@link FloatOps#dot} over the row {@link #dequantize} gives (see {@link FloatOps} for why).
     */
    float dot(MemorySegment w, long off, float[] x, int xOff, int n);

    /**
     * {@link #dot} of two rows with the same activations, into {@code out[o0]} and {@code out[o1]}, each bit
     * for bit what {@code dot} gives. A kernel that shares its loads of x between the two rows overrides it:
     * long rows of float activations (8192 values: 32 KB) do not stay in the first-level cache beside the
     * streaming weights, and reading x once for two rows halves that traffic.
     */
    default void dot2(MemorySegment w, long off0, long off1, float[] x, int xOff, int n, float[] out, int o0, int o1) {
        out[o0] = dot(w, off0, x, xOff, n);
        out[o1] = dot(w, off1, x, xOff, n);
    }

    /** Decodes the {@code n} values of the row stored at byte {@code off} into {@code out[outOff .. outOff+n)}. */
    void dequantize(MemorySegment w, long off, float[] out, int outOff, int n);
}
