package dev.nabd.tensor;

/**
 * The scalar helpers ggml's reference quantisers share ({@code nearest_int}, {@code roundf},
 * {@code make_qx_quants}, {@code make_q3_quants}, {@code make_qkx2_quants}).
 *
 * <p>They are transcribed operation by operation, in ggml's order of evaluation and in single precision,
 * because the searches compare float sums: a different rounding anywhere picks other quants and the
 * bytes stop matching llama-quantize's. Arrays of quants are {@code int[]} here; ggml's are bytes.
 */
public final class QuantMath {
    /** ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this is all zeros. */
    static final float GROUP_MAX_EPS = 1e-15f;

    private QuantMath() {
    }

    /**
     * ggml's {@code nearest_int}: adding 1.5·2^23 makes the float unit round to an integer (ties to
     * even); the integer is then read from the low mantissa bits. Exact for |v| ≤ 4194303.
     */
    static int nearestInt(float v) {
        int bits = Float.floatToRawIntBits(v + 12582912f);
        return (bits & 0x007fffff) - 0x00400000;
    }

    /** C's {@code roundf}: to nearest, halfway cases away from zero (exact: a float plus 0.5 fits a double). */
    static int roundHalfAway(float v) {
        double r = Math.floor(Math.abs((double) v) + 0.5);
        return (int) Math.copySign(r, v);
    }

    /**
     * The value of largest magnitude among {@code x[off .. off+n)}, the first on a tie, 0 if all are 0:
     * the {@code max} that ggml's {@code make_qx_quants} and {@code quantize_row_q8_K} scale by (sign
     * included). Public for the kernels' Q8_K activations, which must round exactly as this codec does.
     */
    public static float largestMagnitude(float[] x, int off, int n) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[off + i]);
            if (ax > amax) {
                amax = ax;
                max = x[off + i];
            }
        }
        return max;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /**
     * {@code make_qx_quants} with rmse_type 1 and no importance weights (weights x²), as Q6_K uses it.
     * Finds a symmetric scale for {@code x[xo .. xo+n)}, trying 19 candidate scales around
     * {@code -nmax/max}; writes quants {@code 0 .. 2·nmax-1} (offset by nmax) to {@code quants[qo ..]}.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xo, int[] quants, int qo) {
        float max = largestMagnitude(x, xo, n);
        float amax = Math.abs(max);
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                quants[qo + i] = 0;
            }
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
            quants[qo + i] = l + nmax;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
                float w = xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    quants[qo + i] = nmax + clamp(nearestInt(iscale * x[xo + i]), -nmax, nmax - 1);
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * {@code make_q3_quants} with do_rmse: a symmetric scale for {@code x[xo .. xo+n)} refined by moving
     * single quants while the weighted (x²) least-squares fit improves, at most 5 passes. Writes quants
     * offset by nmax to {@code quants[qo ..]}.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xo, int[] quants, int qo) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                quants[qo + i] = 0;
            }
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
            quants[qo + i] = l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int li = quants[qo + i];
                float w = xi * xi;
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int newL = clamp(nearestInt(xi * sl2 / slx), -nmax, nmax - 1);
                    if (newL != li) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            quants[qo + i] = newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            quants[qo + i] += nmax;
        }
        return suml2 > 0 ? sumlx / suml2 : 0f;
    }

    /**
     * {@code make_qkx2_quants}: an affine fit {@code x ≈ scale·q - min} (q in 0..nmax, min ≥ 0) of
     * {@code x[xo .. xo+n)} under {@code weights[0 .. n)}, trying {@code nstep + 1} candidate scales
     * {@code (nmax + rmin + rdelta·is) / (max - min)} and keeping the lowest weighted error (absolute
     * when {@code useMad}, squared otherwise). Writes the quants to {@code quants[qo ..]}, uses
     * {@code laux[0 .. n)} as scratch, stores the min (positive, as ggml's {@code the_min}) in
     * {@code mins[minIndex]} and returns the scale.
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, int[] quants, int qo,
                                int[] laux, float rmin, float rdelta, int nstep, boolean useMad,
                                float[] mins, int minIndex) {
        float min = x[xo];
        float max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float xi = x[xo + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; i++) {
                quants[qo + i] = 0;
            }
            mins[minIndex] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(iscale * (x[xo + i] - min)), 0, nmax);
            quants[qo + i] = l;
            float diff = scale * l + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            mins[minIndex] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearestInt(iscale * (x[xo + i] - min)), 0, nmax);
                laux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, quants, qo, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        mins[minIndex] = -min;
        return scale;
    }
}
