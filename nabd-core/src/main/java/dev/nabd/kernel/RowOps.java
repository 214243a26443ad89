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
     * {@link #dot} of four rows {@code stride} bytes apart, from byte {@code off}, with the same activations
     * {@code x} given multiplied by {@link #dot4Scale}: row k into {@code out[o + k·outStride]}, each bit
     * for bit what {@code dot} gives with the activations as they were. A kernel that shares its loads of x
     * between the rows overrides it: long rows of float activations (8192 values: 32 KB) do not stay in the
     * first-level cache beside the streaming weights, and reading x once for four rows quarters that
     * traffic; and four rows far apart are four streams from memory, which one thread reads faster than
     * one or two.
     */
    default void dot4(MemorySegment w, long off, long stride, float[] x, int xOff, int n, float[] out, int o, int outStride) {
        for (int k = 0; k < 4; k++) {
            out[o + k * outStride] = dot(w, off + k * stride, x, xOff, n);
        }
    }

    /**
     * The power of two {@link #dot4} wants its activations multiplied by (1 unless a kernel says
     * otherwise): a kernel can move a constant factor of every weight onto the activations, once per
     * matrix instead of once per weight. Multiplying by a power of two is exact as long as the product stays
     * finite: a caller whose scaled activations overflow where the activations did not uses {@link #dot}
     * instead. The default {@code dot4} takes unscaled activations, so a kernel that overrides this
     * overrides {@code dot4} too.
     */
    default float dot4Scale() {
        return 1f;
    }

    /** Decodes the {@code n} values of the row stored at byte {@code off} into {@code out[outOff .. outOff+n)}. */
    void dequantize(MemorySegment w, long off, float[] out, int outOff, int n);
}
