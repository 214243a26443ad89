package dev.nabd.kernel;

import java.lang.foreign.MemorySegment;

/**
 * The few vector operations every kernel is built from. Two implementations exist: a scalar one that
 * always works, and one on the Vector API chosen by {@link FloatOpsProvider} when the
 * {@code jdk.incubator.vector} module is present. Nothing outside this package touches the Vector API,
 * so nabd starts (and says so) without it.
 *
 * <h2>Reproducible to the bit</h2>
 * A value must not depend on how it was batched (a token alone or among others, in a prompt or in a
 * decode step) nor on whether the code runs interpreted or JIT-compiled. So every operation here has
 * one fixed order of rounding steps, the same at any JIT tier:
 * <ul>
 *   <li><b>Dot products</b> ({@link #dot}, {@link #dot4x4}, {@link #sumOfSquares}, and every
 *   {@link RowOps#dot}, which must equal {@code dot} over the row it {@link RowOps#dequantize decodes}):
 *   the products are taken in vectors of {@link #lanes()} consecutive values, in row order, each
 *   fused-multiply-added lane by lane into one accumulator; its lanes are summed by one fixed tree; then
 *   the n mod lanes() trailing products are added one at a time, each rounded before the add. (One
 *   accumulator, not several, so that a 4×4 tile of products keeps all its accumulators in registers.)
 *   The scalar implementation has its own fixed order, the plain loop; the two implementations need not
 *   agree with each other, only each with itself.</li>
 *   <li><b>Element-wise</b> operations give each element the same bits whether it falls in a vector or
 *   in the scalar tail, so where an element sits in a batch does not matter.</li>
 *   <li><b>Exponentials</b> are computed by nabd's own fixed steps, not by {@code Math.exp} or the
 *   Vector API's {@code EXP}, both of which change with the JIT tier.</li>
 * </ul>
 */
public interface FloatOps {

    /** Σ a[aOff+i]·b[bOff+i] for i &lt; n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** Σ w[i]·x[xOff+i] where w is {@code n} little-endian F32 values at byte {@code wOff} of {@code w}. */
    float dot(MemorySegment w, long wOff, float[] x, int xOff, int n);

    /** max |x[off+i]| for i &lt; n (0 for n = 0); a maximum has no rounding, so no order to fix. */
    float maxAbs(float[] x, int off, int n);

    /** max x[off+i] for i &lt; n, as {@link Math#max} takes it (−∞ for n = 0, NaN if any is NaN). */
    float max(float[] x, int off, int n);

    /**
     * The value of largest magnitude among x[off .. off+n), the first on a tie, 0 if none is above 0, NaN
     * ignored: exactly {@link dev.nabd.tensor.QuantMath#largestMagnitude}, the scale of a Q8_K block.
     */
    float largestMagnitude(float[] x, int off, int n);

    /**
     * out[outOff+i] = x[xOff+i]·scale rounded to the nearest integer, ties to even, for i &lt; n, as
     * floats: the step that quantises activations to 8 bits. Exact for products of magnitude below 2^22;
     * NaN and infinite products stay so. Element-wise.
     */
    void roundScaled(float[] x, int xOff, float scale, float[] out, int outOff, int n);

    /** y[yOff+i] += alpha·x[xOff+i], one rounding (a fused multiply-add) per element. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** y[yOff+i] *= alpha. */
    void scale(float alpha, float[] y, int yOff, int n);

    /** Σ x[off+i]², exactly {@code dot(x, off, x, off, n)}. */
    float sumOfSquares(float[] x, int off, int n);

    /** y[yOff+i] = x[xOff+i]·w[wOff+i]·s (the weighted scale step of RMSNorm). */
    void mulScaled(float[] x, int xOff, float[] w, int wOff, float s, float[] y, int yOff, int n);

    /** y[yOff+i] += x[xOff+i]. */
    void add(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * The 4×4 block of dot products of rows {@code a[aOff + i·aStride ..]} (i &lt; 4) with rows
     * {@code b[bOff + j·bStride ..]} (j &lt; 4), each {@code n} long: {@code out[4·i + j]}, each bit for bit
     * what {@link #dot} gives. The register-tiled core of a matrix product: every value loaded serves four
     * multiply-adds.
     */
    void dot4x4(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int n, float[] out);

    /**
     * gate[off+i] = silu(gate[off+i])·up[off+i], where silu(g) = g / (1 + e^-g): the SwiGLU activation.
     * Element-wise: each result depends on its own two inputs only.
     */
    void siluMul(float[] gate, float[] up, int off, int n);

    /**
     * v[off+i] = e^(v[off+i] − max) for i &lt; n, returning their sum: the exponentials of a softmax. Each
     * exponential is element-wise; the sum is in a fixed order for a given {@code n}.
     */
    float expSum(float[] v, int off, int n, float max);

    /**
     * Attention's scores of a block of keys stored transposed: {@code out[outOff + i·width + j] = scale ·
     * Σ_d q[qOff[i] + d]·k[kOff + d·width + j]} for query i &lt; queries and key j &lt; width, each sum one
     * chain of fused multiply-adds over d = 0, 1, .. n−1 from 0, then one rounded product by scale. Each
     * output depends on its own query and key alone: the same bits whatever the other queries of the call,
     * the width or the vector length (the scalar implementation computes the same chains).
     */
    void scores(float[] k, int kOff, int width, int n, float[] q, int[] qOff, int queries, float scale,
                float[] out, int outOff);

    /**
     * Attention's weighted sums of a block of values for several queries: {@code y[yOff[i] + x] += Σ_j
     * p[pOff + i·pStride + j]·v[vOff + j·vStride + x]} for query i &lt; queries, x &lt; n and j &lt; count,
     * each output one chain of fused multiply-adds from its value in y over j = 0, 1, .. in turn (the bits
     * of {@link #axpy}(p_ij, v_j, y_i) for j in turn), whatever the other queries of the call. The
     * queries' outputs do not overlap.
     */
    void weightedSums(float[] p, int pOff, int pStride, int count, int queries, float[] v, int vOff, int vStride,
                      float[] y, int[] yOff, int n);

    /** e^x, the same bits as one exponential of {@link #expSum} (whose v[i] − max is x). */
    float exp(float x);

    /** Number of float lanes processed per instruction (1 for the scalar implementation). */
    int lanes();

    /** A short description for the start-up line, e.g. {@code "Vector API 512-bit (16 floats)"}. */
    String description();
}
