package dev.nabd.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nabd's own e^x: accurate, with the documented edges, and the vector version equal to the scalar one. */
class ExpTest {

    @Test
    void withinOneUlpOverTheNormalRange() {
        float worst = 0;
        // Every 97th float magnitude up to 88.7 (positive) and 86.5 (negative; below about −87 the result is
        // flushed to 0): a few million values, every exponent, mantissas all over.
        for (int m = 0; m <= Float.floatToRawIntBits(88.7f); m += 97) {
            float x = Float.intBitsToFloat(m);
            worst = Math.max(worst, ulps(x));
            if (x <= 86.5f) {
                worst = Math.max(worst, ulps(-x));
            }
        }
        assertThat(worst).isLessThan(1f);
    }

    private static float ulps(float x) {
        double exact = StrictMath.exp(x);
        return (float) (Math.abs(Exp.exp(x) - exact) / Math.ulp((float) exact));
    }

    @Test
    void edges() {
        assertThat(Exp.exp(0f)).isEqualTo(1f);
        assertThat(Exp.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(Exp.exp(-1000f)).isEqualTo(0f);
        assertThat(Exp.exp(-88f)).isEqualTo(0f);   // below 2^-125.5: flushed
        assertThat(Exp.exp(88.7f)).isCloseTo((float) Math.exp(88.7f), org.assertj.core.data.Percentage.withPercentage(1e-5));
        assertThat(Exp.exp(88.73f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Exp.exp(1000f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Exp.exp(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Exp.exp(Float.NaN)).isNaN();
    }

    /** The vector lanes (through expSum, with max 0) give the scalar bits, for ordinary, huge, tiny and special inputs. */
    @Test
    void vectorLanesEqualScalar() {
        float[] special = {0f, -0f, 1f, -1f, 0.5f, -87f, -86.9f, -88f, 88.3f, 88.5f, 88.72f, 88.8f, 200f, -200f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE};
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int n = 4096 + special.length;
        float[] x = new float[n];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < n; i++) {
            x[i] = (float) (r.nextDouble(-100, 100));
        }
        float[] y = x.clone();
        FloatOpsProvider.get().expSum(y, 0, n, 0f);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(y[i])).as("e^%s", x[i]).isEqualTo(Float.floatToRawIntBits(Exp.exp(x[i])));
        }
    }
}
