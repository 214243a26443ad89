package dev.nabd.kernel;

import dev.nabd.tensor.QuantMath;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Plain Java loops: the fallback when the Vector API is not available, and the reference in tests. Every
 * step is an exactly rounded float operation in a fixed order (Java never contracts a·b + c into a fused
 * multiply-add on its own), and exponentials are {@link Exp#exp}, so results are the same at every JIT tier.
 */
final class ScalarFloatOps implements FloatOps {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float dot(MemorySegment w, long wOff, float[] x, int xOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += w.get(F32, wOff + 4L * i) * x[xOff + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[off + i]));
        }
        return m;
    }

    @Override
    public float largestMagnitude(float[] x, int off, int n) {
        return QuantMath.largestMagnitude(x, off, n);
    }

    @Override
    public void roundScaled(float[] x, int xOff, float scale, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale + Exp.ROUNDER - Exp.ROUNDER;
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
        }
    }

    @Override
    public void scale(float alpha, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] *= alpha;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        return dot(x, off, x, off, n);
    }

    @Override
    public void mulScaled(float[] x, int xOff, float[] w, int wOff, float s, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = x[xOff + i] * s * w[wOff + i];
        }
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void dot4x4(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int n, float[] out) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[4 * i + j] = dot(a, aOff + i * aStride, b, bOff + j * bStride, n);
            }
        }
    }

    @Override
    public void siluMul(float[] gate, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + Exp.exp(-g)) * up[i];
        }
    }

    @Override
    public void scores(float[] k, int kOff, int width, int n, float[] q, int[] qOff, int queries, float scale,
                       float[] out, int outOff) {
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < width; j++) {
                float acc = 0f;
                for (int d = 0; d < n; d++) {
                    acc = Math.fma(k[kOff + d * width + j], q[qOff[i] + d], acc);
                }
                out[outOff + i * width + j] = acc * scale;
            }
        }
    }

    @Override
    public void weightedSums(float[] p, int pOff, int pStride, int count, int queries, float[] v, int vOff, int vStride,
                             float[] y, int[] yOff, int n) {
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < count; j++) {
                axpy(p[pOff + i * pStride + j], v, vOff + j * vStride, y, yOff[i], n);
            }
        }
    }

    @Override
    public float exp(float x) {
        return Exp.exp(x);
    }

    @Override
    public float expSum(float[] v, int off, int n, float max) {
        float sum = 0f;
        for (int i = off; i < off + n; i++) {
            float e = Exp.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public String description() {
        return "scalar (no Vector API)";
    }
}
