package dev.nabd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link FloatOps} on the Vector API at the machine's preferred width. Loaded only through
 * {@link FloatOpsProvider} once the incubator module is known to be present.
 *
 * <p>Loops run one vector at a time with a scalar tail; dot products keep one accumulator per loop and
 * reduce once at the end (the reduction order differs from the scalar loop, which is fine at the
 * tolerances we test).
 */
final class PanamaFloatOps implements FloatOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float dot(MemorySegment w, long wOff, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector wv = FloatVector.fromMemorySegment(S, w, wOff + 4L * i, ByteOrder.LITTLE_ENDIAN);
            acc = wv.fma(FloatVector.fromArray(S, x, xOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += w.get(F32, wOff + 4L * i) * x[xOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).mul(alpha).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] *= alpha;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            acc = v.fma(v, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[off + i] * x[off + i];
        }
        return s;
    }

    @Override
    public void mulScaled(float[] x, int xOff, float[] w, int wOff, float s, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(s).mul(FloatVector.fromArray(S, w, wOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[xOff + i] * s * w[wOff + i];
        }
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void dot4x4(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, int n, float[] out) {
        // 16 accumulators + 8 operands fit the 32 vector registers of AVX-512 (C2 keeps them in registers
        // as long as nothing escapes). Tail values, if n is not a multiple of the width, are done scalar.
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int a0 = aOff, a1 = aOff + aStride, a2 = aOff + 2 * aStride, a3 = aOff + 3 * aStride;
        int b0 = bOff, b1 = bOff + bStride, b2 = bOff + 2 * bStride, b3 = bOff + 3 * bStride;
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, b, b0 + k);
            FloatVector x1 = FloatVector.fromArray(S, b, b1 + k);
            FloatVector x2 = FloatVector.fromArray(S, b, b2 + k);
            FloatVector x3 = FloatVector.fromArray(S, b, b3 + k);
            FloatVector w = FloatVector.fromArray(S, a, a0 + k);
            c00 = w.fma(x0, c00);
            c01 = w.fma(x1, c01);
            c02 = w.fma(x2, c02);
            c03 = w.fma(x3, c03);
            w = FloatVector.fromArray(S, a, a1 + k);
            c10 = w.fma(x0, c10);
            c11 = w.fma(x1, c11);
            c12 = w.fma(x2, c12);
            c13 = w.fma(x3, c13);
            w = FloatVector.fromArray(S, a, a2 + k);
            c20 = w.fma(x0, c20);
            c21 = w.fma(x1, c21);
            c22 = w.fma(x2, c22);
            c23 = w.fma(x3, c23);
            w = FloatVector.fromArray(S, a, a3 + k);
            c30 = w.fma(x0, c30);
            c31 = w.fma(x1, c31);
            c32 = w.fma(x2, c32);
            c33 = w.fma(x3, c33);
        }
        out[0] = c00.reduceLanes(VectorOperators.ADD);
        out[1] = c01.reduceLanes(VectorOperators.ADD);
        out[2] = c02.reduceLanes(VectorOperators.ADD);
        out[3] = c03.reduceLanes(VectorOperators.ADD);
        out[4] = c10.reduceLanes(VectorOperators.ADD);
        out[5] = c11.reduceLanes(VectorOperators.ADD);
        out[6] = c12.reduceLanes(VectorOperators.ADD);
        out[7] = c13.reduceLanes(VectorOperators.ADD);
        out[8] = c20.reduceLanes(VectorOperators.ADD);
        out[9] = c21.reduceLanes(VectorOperators.ADD);
        out[10] = c22.reduceLanes(VectorOperators.ADD);
        out[11] = c23.reduceLanes(VectorOperators.ADD);
        out[12] = c30.reduceLanes(VectorOperators.ADD);
        out[13] = c31.reduceLanes(VectorOperators.ADD);
        out[14] = c32.reduceLanes(VectorOperators.ADD);
        out[15] = c33.reduceLanes(VectorOperators.ADD);
        for (; k < n; k++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    out[4 * i + j] += a[aOff + i * aStride + k] * b[bOff + j * bStride + k];
                }
            }
        }
    }

    @Override
    public void siluMul(float[] gate, float[] up, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, off + i);
            FloatVector sig = g.neg().lanewise(VectorOperators.EXP).add(1f);
            g.div(sig).mul(FloatVector.fromArray(S, up, off + i)).intoArray(gate, off + i);
        }
        for (; i < n; i++) {
            float g = gate[off + i];
            gate[off + i] = g / (1f + (float) Math.exp(-g)) * up[off + i];
        }
    }

    @Override
    public float expSum(float[] v, int off, int n, float max) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, v, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(v, off + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(v[off + i] - max);
            v[off + i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public String description() {
        return "Vector API " + S.vectorBitSize() + "-bit (" + L + " floats)";
    }
}
