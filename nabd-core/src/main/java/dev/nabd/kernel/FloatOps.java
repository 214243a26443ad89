package dev.nabd.kernel;

import java.lang.foreign.MemorySegment;

/**
 * The few vector operations every kernel is built from. Two implementations exist: a scalar one that
 * always works, and one on the Vector API chosen by {@link FloatOpsProvider} when the
 * {@code jdk.incubator.vector} module is present. Nothing outside this package touches the Vector API,
 * so nabd starts (and says so) without it.
 */
public interface FloatOps {

    /** Σ a[aOff+i]·b[bOff+i] for i &lt; n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** Σ w[i]·x[xOff+i] where w is {@code n} little-endian F32 values at byte {@code wOff} of {@code w}. */
    float dot(MemorySegment w, long wOff, float[] x, int xOff, int n);

    /** y[yOff+i] += alpha·x[xOff+i]. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** y[yOff+i] *= alpha. */
    void scale(float alpha, float[] y, int yOff, int n);

    /** Σ x[off+i]². */
    float sumOfSquares(float[] x, int off, int n);

    /** y[yOff+i] = x[xOff+i]·w[wOff+i]·s (the weighted scale step of RMSNorm). */
    void mulScaled(float[] x, int xOff, float[] w, int wOff, float s, float[] y, int yOff, int n);

    /** y[yOff+i] += x[xOff+i]. */
    void add(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * The 4×4 block of dot products of rows {@code a[aOff + i·aStride ..]} (i &lt; 4) with rows
     * {@code b[bOff + j·bStride ..]} (j &lt; 4), each {@code n} long: {@code out[4·i + j]}. The register-tiled
     * core of a matrix product: every value loaded serves four multiply-adds.
     */
    void dot4x4(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int n, float[] out);

    /** gate[off+i] = silu(gate[off+i])·up[off+i], where silu(g) = g / (1 + e^-g): the SwiGLU activation. */
    void siluMul(float[] gate, float[] up, int off, int n);

    /**
     * v[off+i] = e^(v[off+i] − max) for i &lt; n, returning their sum: the exponentials of a softmax.
     */
    float expSum(float[] v, int off, int n, float max);

    /** Number of float lanes processed per instruction (1 for the scalar implementation). */
    int lanes();

    /** A short description for the start-up line, e.g. {@code "Vector API 512-bit (16 floats)"}. */
    String description();
}
