package dev.nabd.kernel;

import dev.nabd.tensor.QuantMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link FloatOps} on the Vector API at the machine's preferred width. Loaded only through
 * {@link FloatOpsProvider} once the incubator module is known to be present.
 *
 * <p>Loops run one vector at a time (attention's scores and weighted sums eight, each its own chain)
 * with a scalar tail; element-wise tails compute exactly what a lane computes. Dot products follow the summation order
 * that {@link FloatOps} fixes: one accumulator taking the vectors in row order, then the lanes summed by
 * the tree of {@link #HALVES}, then the tail one product at a time.
 *
 * <p>Two operations of the Vector API are not used, because they give different bits interpreted and
 * compiled: {@code reduceLanes(ADD)} (the Java fallback adds lane by lane, C2 adds halves of the
 * register) and {@code lanewise(EXP)} (Math.exp in the fallback, Intel's SVML once compiled).
 *
 * <p>Vectors never cross a method boundary of ours here: the lane sum and the exponential are written
 * out where they are used. C2 inlines a call to a method of ours only while the method being compiled is
 * under a node budget, and when a caller of these kernels is large (the attention step inlines several),
 * it stops inlining mid-kernel; a vector passed to a call it did not inline is boxed on the heap, and
 * decoding must not allocate. The Vector API's own methods are always inlined.
 */
final class PanamaFloatOps implements FloatOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The lane sum, one fixed tree: {@code for (h : HALVES) v = v.add(v.rearrange(h));} then lane 0. Step
     * h sets lane i to lane i + lane (i XOR h), for h = L/2, L/4, .., 1: the upper half of the register is
     * added to the lower, then the upper half of that, and so on (for 16 lanes, lane 0 ends as
     * ((v0+v8)+(v4+v12)) + ((v2+v10)+(v6+v14)) + ...). Every lane ends with the same bits, since float
     * addition commutes exactly.
     */
    static final VectorShuffle<Float>[] HALVES = halves();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static VectorShuffle<Float>[] halves() {
        VectorShuffle<Float>[] steps = new VectorShuffle[Integer.numberOfTrailingZeros(L)];
        for (int k = 0, h = L / 2; h > 0; k++, h /= 2) {
            int half = h;
            steps[k] = VectorShuffle.fromOp(S, i -> i ^ half);
        }
        return steps;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        for (VectorShuffle<Float> h : HALVES) {
            acc = acc.add(acc.rearrange(h));
        }
        float s = acc.lane(0);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float dot(MemorySegment w, long wOff, float[] x, int xOff, int n) {
        // As dot(float[]...) with the weights read from the mapping: the same bits as copying them out first.
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector wv = FloatVector.fromMemorySegment(S, w, wOff + 4L * i, ByteOrder.LITTLE_ENDIAN);
            acc = wv.fma(FloatVector.fromArray(S, x, xOff + i), acc);
        }
        for (VectorShuffle<Float> h : HALVES) {
            acc = acc.add(acc.rearrange(h));
        }
        float s = acc.lane(0);
        for (; i < n; i++) {
            s += w.get(F32, wOff + 4L * i) * x[xOff + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            m = m.max(FloatVector.fromArray(S, x, off + i));
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        FloatVector m = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            m = m.max(FloatVector.fromArray(S, x, off + i).abs());
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            r = Math.max(r, Math.abs(x[off + i]));
        }
        return r;
    }

    /**
     * The largest and the smallest value, by vector reductions (a maximum has no rounding, so no order to
     * fix): when one of them is strictly larger in magnitude it is the answer, since no value of the other
     * sign can tie with it. A tie between signs, all zeros, or a NaN (which the reductions propagate and
     * the definition skips) is left to the scalar scan.
     */
    @Override
    public float largestMagnitude(float[] x, int off, int n) {
        FloatVector hi = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector lo = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            hi = hi.max(v);
            lo = lo.min(v);
        }
        float top = hi.reduceLanes(VectorOperators.MAX);
        float bottom = lo.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            top = Math.max(top, x[off + i]);
            bottom = Math.min(bottom, x[off + i]);
        }
        if (top > -bottom) {
            return top;
        }
        if (-bottom > top) {
            return bottom;
        }
        return QuantMath.largestMagnitude(x, off, n);
    }

    /** Adding then subtracting 1.5·2^23 rounds a float below 2^22 to an integer, ties to even. */
    @Override
    public void roundScaled(float[] x, int xOff, float scale, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(scale).add(Exp.ROUNDER).sub(Exp.ROUNDER).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale + Exp.ROUNDER - Exp.ROUNDER;
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
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
        return dot(x, off, x, off, n);
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
        // as long as nothing escapes). Each product is dot()'s: one accumulator, then the lane tree, then
        // the tail one rounded product at a time.
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
        // The 16 lane sums side by side (one after the other, each would wait out its tree's latency).
        for (VectorShuffle<Float> h : HALVES) {
            c00 = c00.add(c00.rearrange(h));
            c01 = c01.add(c01.rearrange(h));
            c02 = c02.add(c02.rearrange(h));
            c03 = c03.add(c03.rearrange(h));
            c10 = c10.add(c10.rearrange(h));
            c11 = c11.add(c11.rearrange(h));
            c12 = c12.add(c12.rearrange(h));
            c13 = c13.add(c13.rearrange(h));
            c20 = c20.add(c20.rearrange(h));
            c21 = c21.add(c21.rearrange(h));
            c22 = c22.add(c22.rearrange(h));
            c23 = c23.add(c23.rearrange(h));
            c30 = c30.add(c30.rearrange(h));
            c31 = c31.add(c31.rearrange(h));
            c32 = c32.add(c32.rearrange(h));
            c33 = c33.add(c33.rearrange(h));
        }
        out[0] = c00.lane(0);
        out[1] = c01.lane(0);
        out[2] = c02.lane(0);
        out[3] = c03.lane(0);
        out[4] = c10.lane(0);
        out[5] = c11.lane(0);
        out[6] = c12.lane(0);
        out[7] = c13.lane(0);
        out[8] = c20.lane(0);
        out[9] = c21.lane(0);
        out[10] = c22.lane(0);
        out[11] = c23.lane(0);
        out[12] = c30.lane(0);
        out[13] = c31.lane(0);
        out[14] = c32.lane(0);
        out[15] = c33.lane(0);
        for (; k < n; k++) {   // dot()'s tail: one rounded product at a time
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    out[4 * i + j] += a[aOff + i * aStride + k] * b[bOff + j * bStride + k];
                }
            }
        }
    }

    @Override
    public void siluMul(float[] gate, float[] up, int off, int n) {
        exponentials(gate, up, off, n, 0f, true);
    }

    /*
     * Four queries by two vectors of keys at a time: per dimension d, two loads of keys and four broadcast
     * query values feed eight independent multiply-add chains (a chain alone would wait out each fma's
     * latency; eight keep the units busy, in 11 registers of AVX2's 16). Queries past the last of a tile
     * repeat the last one and write its row again with the same bits, so every call runs whole tiles.
     * Each lane is its own position's chain over d, in d order, whatever the width and the tile: the
     * scalar tail computes the same chain.
     */
    @Override
    public void scores(float[] k, int kOff, int width, int n, float[] q, int[] qOff, int queries, float scale,
                       float[] out, int outOff) {
        int bound = width - width % (2 * L);
        for (int i = 0; i < queries; i += 4) {
            int last = queries - 1;
            int q0 = qOff[i];
            int q1 = qOff[Math.min(i + 1, last)];
            int q2 = qOff[Math.min(i + 2, last)];
            int q3 = qOff[Math.min(i + 3, last)];
            int o0 = outOff + i * width;
            int o1 = outOff + Math.min(i + 1, last) * width;
            int o2 = outOff + Math.min(i + 2, last) * width;
            int o3 = outOff + Math.min(i + 3, last) * width;
            for (int j = 0; j < bound; j += 2 * L) {
                FloatVector a0 = FloatVector.zero(S), b0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S), b1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S), b2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S), b3 = FloatVector.zero(S);
                for (int d = 0; d < n; d++) {
                    FloatVector ka = FloatVector.fromArray(S, k, kOff + d * width + j);
                    FloatVector kb = FloatVector.fromArray(S, k, kOff + d * width + j + L);
                    FloatVector x = FloatVector.broadcast(S, q[q0 + d]);
                    a0 = ka.fma(x, a0);
                    b0 = kb.fma(x, b0);
                    x = FloatVector.broadcast(S, q[q1 + d]);
                    a1 = ka.fma(x, a1);
                    b1 = kb.fma(x, b1);
                    x = FloatVector.broadcast(S, q[q2 + d]);
                    a2 = ka.fma(x, a2);
                    b2 = kb.fma(x, b2);
                    x = FloatVector.broadcast(S, q[q3 + d]);
                    a3 = ka.fma(x, a3);
                    b3 = kb.fma(x, b3);
                }
                a0.mul(scale).intoArray(out, o0 + j);
                b0.mul(scale).intoArray(out, o0 + j + L);
                a1.mul(scale).intoArray(out, o1 + j);
                b1.mul(scale).intoArray(out, o1 + j + L);
                a2.mul(scale).intoArray(out, o2 + j);
                b2.mul(scale).intoArray(out, o2 + j + L);
                a3.mul(scale).intoArray(out, o3 + j);
                b3.mul(scale).intoArray(out, o3 + j + L);
            }
        }
        for (int i = 0; i < queries; i++) {
            for (int j = bound; j < width; j++) {
                float acc = 0f;
                for (int d = 0; d < n; d++) {
                    acc = Math.fma(k[kOff + d * width + j], q[qOff[i] + d], acc);
                }
                out[outOff + i * width + j] = acc * scale;
            }
        }
    }

    /*
     * Four queries by two vectors of values at a time: per row j of values, two loads and four broadcast
     * weights feed eight independent multiply-add chains, the sums held in registers across the rows (one
     * query at a time loaded each vector of values once per query, and a load per multiply-add bounded
     * it). As in scores(), queries past the last of a tile repeat the last one: they load its y before any
     * store and store the same bits to it. Each output is its own chain over j in every path: the
     * one-vector steps and the scalar tail compute the same.
     */
    @Override
    public void weightedSums(float[] p, int pOff, int pStride, int count, int queries, float[] v, int vOff, int vStride,
                             float[] y, int[] yOff, int n) {
        int bound = n - n % (2 * L);
        for (int i = 0; i < queries; i += 4) {
            int last = queries - 1;
            int p0 = pOff + i * pStride;
            int p1 = pOff + Math.min(i + 1, last) * pStride;
            int p2 = pOff + Math.min(i + 2, last) * pStride;
            int p3 = pOff + Math.min(i + 3, last) * pStride;
            int y0 = yOff[i];
            int y1 = yOff[Math.min(i + 1, last)];
            int y2 = yOff[Math.min(i + 2, last)];
            int y3 = yOff[Math.min(i + 3, last)];
            for (int x = 0; x < bound; x += 2 * L) {
                FloatVector a0 = FloatVector.fromArray(S, y, y0 + x), b0 = FloatVector.fromArray(S, y, y0 + x + L);
                FloatVector a1 = FloatVector.fromArray(S, y, y1 + x), b1 = FloatVector.fromArray(S, y, y1 + x + L);
                FloatVector a2 = FloatVector.fromArray(S, y, y2 + x), b2 = FloatVector.fromArray(S, y, y2 + x + L);
                FloatVector a3 = FloatVector.fromArray(S, y, y3 + x), b3 = FloatVector.fromArray(S, y, y3 + x + L);
                for (int j = 0; j < count; j++) {
                    int r = vOff + j * vStride + x;
                    FloatVector va = FloatVector.fromArray(S, v, r);
                    FloatVector vb = FloatVector.fromArray(S, v, r + L);
                    FloatVector w = FloatVector.broadcast(S, p[p0 + j]);
                    a0 = va.fma(w, a0);
                    b0 = vb.fma(w, b0);
                    w = FloatVector.broadcast(S, p[p1 + j]);
                    a1 = va.fma(w, a1);
                    b1 = vb.fma(w, b1);
                    w = FloatVector.broadcast(S, p[p2 + j]);
                    a2 = va.fma(w, a2);
                    b2 = vb.fma(w, b2);
                    w = FloatVector.broadcast(S, p[p3 + j]);
                    a3 = va.fma(w, a3);
                    b3 = vb.fma(w, b3);
                }
                a0.intoArray(y, y0 + x);
                b0.intoArray(y, y0 + x + L);
                a1.intoArray(y, y1 + x);
                b1.intoArray(y, y1 + x + L);
                a2.intoArray(y, y2 + x);
                b2.intoArray(y, y2 + x + L);
                a3.intoArray(y, y3 + x);
                b3.intoArray(y, y3 + x + L);
            }
        }
        for (int i = 0; i < queries; i++) {
            int pi = pOff + i * pStride;
            int yi = yOff[i];
            int x = bound;
            for (int vBound = S.loopBound(n); x < vBound; x += L) {
                FloatVector acc = FloatVector.fromArray(S, y, yi + x);
                for (int j = 0; j < count; j++) {
                    acc = FloatVector.fromArray(S, v, vOff + j * vStride + x).fma(FloatVector.broadcast(S, p[pi + j]), acc);
                }
                acc.intoArray(y, yi + x);
            }
            for (; x < n; x++) {
                float acc = y[yi + x];
                for (int j = 0; j < count; j++) {
                    acc = Math.fma(v[vOff + j * vStride + x], p[pi + j], acc);
                }
                y[yi + x] = acc;
            }
        }
    }

    @Override
    public float exp(float x) {
        return Exp.exp(x);
    }

    @Override
    public float expSum(float[] v, int off, int n, float max) {
        return exponentials(v, null, off, n, max, false);
    }

    /**
     * The loop of both users of e^x, so the exponential is written once (see the class comment for why
     * it is not a method): for silu, v[i] = g / (1 + e^-g)·up[i] with g = v[i]; otherwise v[i] = e^(v[i] −
     * max), returning their sum. The flag is the same for the whole loop, which C2 compiles as two loops.
     *
     * <p>e^x exactly as {@link Exp#exp}, step for step in every lane: n = x/ln2 rounded, by adding 1.5·2^23
     * (whose bits then hold n); r = x − n·ln2 in two fused steps; the polynomial; the scale 2^(n−1) built
     * in the exponent bits; flushes to 0 and ∞ beyond the range.
     */
    private static float exponentials(float[] v, float[] up, int off, int n, float max, boolean silu) {
        FloatVector ln2Hi = FloatVector.broadcast(S, -Exp.LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -Exp.LN2_LO);
        FloatVector c4 = FloatVector.broadcast(S, Exp.C4);
        FloatVector c3 = FloatVector.broadcast(S, Exp.C3);
        FloatVector c2 = FloatVector.broadcast(S, Exp.C2);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector in = FloatVector.fromArray(S, v, off + i);
            FloatVector x = silu ? in.neg() : in.sub(max);
            FloatVector t = x.fma(Exp.LOG2E, Exp.ROUNDER);
            FloatVector nn = t.sub(Exp.ROUNDER);
            FloatVector r = nn.fma(ln2Hi, x);
            r = nn.fma(ln2Lo, r);
            FloatVector q = r.fma(Exp.C6, Exp.C5).fma(r, c4).fma(r, c3).fma(r, c2);
            FloatVector p = q.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts().add(Exp.BIAS_MINUS_ONE).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.add(p).mul(scale)
                    .blend(0f, nn.lt(Exp.N_MIN))
                    .blend(Float.POSITIVE_INFINITY, nn.compare(VectorOperators.GT, Exp.N_MAX));
            if (silu) {
                in.div(e.add(1f)).mul(FloatVector.fromArray(S, up, off + i)).intoArray(v, off + i);
            } else {
                e.intoArray(v, off + i);
                acc = acc.add(e);
            }
        }
        for (VectorShuffle<Float> h : HALVES) {
            acc = acc.add(acc.rearrange(h));
        }
        float sum = acc.lane(0);
        for (; i < n; i++) {   // the same steps as a lane
            if (silu) {
                float g = v[off + i];
                v[off + i] = g / (1f + Exp.exp(-g)) * up[off + i];
            } else {
                float e = Exp.exp(v[off + i] - max);
                v[off + i] = e;
                sum += e;
            }
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
