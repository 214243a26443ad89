package dev.nabd.kernel;

/**
 * e^x in float, computed by fixed steps of exactly rounded arithmetic, so that it gives the same bits
 * whether the code runs interpreted, C1- or C2-compiled, and in every vector lane of
 * {@link PanamaFloatOps} (which performs the same steps on vectors). {@link Math#exp} promises neither:
 * the JIT may swap in an intrinsic, and the Vector API's {@code EXP} is a different library again once
 * C2 compiles it.
 *
 * <p>The method (Cody and Waite's range reduction, as in every libm): write x = n·ln2 + r with n the
 * nearest integer to x/ln2, so |r| ≤ ln2/2; e^r is a polynomial; e^x = e^r·2^n, the power of two built
 * directly in the exponent bits. Error below 1 ulp in the normal range. Results under 2^-125.5 (x below
 * about −87.0) are flushed to 0, results past the float range are +∞, NaN stays NaN.
 */
final class Exp {
    // x·log2(e) + 1.5·2^23 in one rounding: the sum lands in [2^23, 2^24) where floats are exactly the
    // integers, so it rounds x/ln2 to the nearest integer n (ties to even), and its low mantissa bits are n.
    static final float LOG2E = 0x1.715476p0f;
    static final float ROUNDER = 0x1.8p23f;
    // ln2 split in two so that n·ln2 is subtracted with the precision of ~48 bits: the fused multiply-add
    // makes n·LN2_HI exact, and n·LN2_LO is a small correction.
    static final float LN2_HI = 0x1.62e43p-1f;
    static final float LN2_LO = -0x1.05c61p-29f;   // ln2 − LN2_HI, rounded
    // e^r ≈ 1 + r + r²·(C2 + C3·r + C4·r² + C5·r³ + C6·r⁴) on |r| ≤ ln2/2: coefficients fitted for least
    // maximum relative error (3e-9 before float rounding; the Taylor ones, 1/k!, would give ~1e-7).
    static final float C2 = 0x1.fffffcp-2f;
    static final float C3 = 0x1.555492p-3f;
    static final float C4 = 0x1.5558f2p-5f;
    static final float C5 = 0x1.1239d0p-7f;
    static final float C6 = 0x1.6a242ap-10f;
    // n is kept only in [-125, 128]: there 2^(n-1) is a normal float, built as bits (n + 126) << 23 from the
    // rounder's bits (whose high bits shift out), and (p + p)·2^(n-1) = p·2^n rounds once at most.
    static final float N_MIN = -125f;
    static final float N_MAX = 128f;
    static final int BIAS_MINUS_ONE = 126;

    private Exp() {
    }

    /** e^x (see the class comment for the range and accuracy). */
    static float exp(float x) {
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(C6, r, C5), r, C4), r, C3), r, C2);
        float p = Math.fma(q, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) + BIAS_MINUS_ONE) << 23);
        float e = (p + p) * scale;
        if (n < N_MIN) {
            return 0f;
        }
        if (n > N_MAX) {
            return Float.POSITIVE_INFINITY;
        }
        return e;
    }
}
