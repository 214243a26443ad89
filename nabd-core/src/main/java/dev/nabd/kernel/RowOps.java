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

    /** Decodes the {@code n} values of the row stored at byte {@code off} into {@code out[outOff .. outOff+n)}. */
    void dequantize(MemorySegment w, long off, float[] out, int outOff, int n);
}
