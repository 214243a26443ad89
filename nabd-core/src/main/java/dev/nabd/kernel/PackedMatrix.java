package dev.nabd.kernel;

import dev.nabd.tensor.Tensor;

import java.lang.reflect.Method;

/**
 * A weight matrix copied at load into a layout made for integer dot products with {@link Q8Activations}:
 * strips of {@link #strip()} rows whose values sit side by side across a vector's lanes (one row per
 * 16-bit lane, two for 4-bit types, one per float lane for Q8_0), so one vector holds the same column of
 * every row in the strip. A product then broadcasts one activation integer and multiplies it into all
 * the strip's rows at once: no per-row lane sums.
 *
 * <p>Each output is computed the same way whatever the batch: per block an exact integer sum (as ggml's
 * dot product for the type states it), then {@code y = fma(sum, d_w·d_x, y)} block after block. So a
 * token's result does not depend on its batch company or the number of threads. The implementations
 * ({@link Strips}: Q2_K and Q3_K; Q4_0 and Q4_K; Q5_0, Q5_1, Q4_1 and Q5_K; Q6_K; Q8_0) live behind the
 * Vector API check of {@link #of}.
 */
public interface PackedMatrix {

    /** Rows of the matrix. */
    int rows();

    /** Values per row. */
    int cols();

    /** Rows per strip, the unit of work. */
    int strip();

    /** The form its activations must be quantised to: Q8_0, or Q8_K for the K-quants (as in llama.cpp). */
    ActivationFormat activations();

    /**
     * Strips per group of the batch kernel, which unpacks a group once for all tokens: a range of strips
     * that is not whole groups costs as much as whole ones.
     */
    int group();

    /**
     * {@code y[t·yStride + r] = Σ_c W[r][c]·x[t][c]} for the tokens {@code 0 .. x.rows()} and the rows of
     * strips {@code stripFrom .. stripTo}, using the calling thread's {@code ws}.
     */
    default void multiply(Q8Activations x, float[] y, int yStride, int stripFrom, int stripTo, Workspace ws) {
        multiply(x, 0, x.rows(), y, yStride, stripFrom, stripTo, ws);
    }

    /**
     * The same for the tokens {@code tokenFrom .. tokenTo} only: threads may share a group of strips by
     * tokens. A token's results do not depend on the range it was computed in.
     */
    void multiply(Q8Activations x, int tokenFrom, int tokenTo, float[] y, int yStride, int stripFrom, int stripTo, Workspace ws);

    /** Scratch memory of one thread, reused across calls (it grows to the largest size asked for). */
    final class Workspace {
        private short[] shorts = new short[0];
        private float[] floats = new float[0];
        private short[] sums = new short[0];

        /** A buffer of at least {@code n} shorts. */
        short[] shorts(int n) {
            if (shorts.length < n) {
                shorts = new short[n];
            }
            return shorts;
        }

        /** A second buffer of at least {@code n} shorts: a batch kernel's integer block sums, beside {@link #shorts}' weights. */
        short[] sums(int n) {
            if (sums.length < n) {
                sums = new short[n];
            }
            return sums;
        }

        /** A buffer of at least {@code n} floats. */
        float[] floats(int n) {
            if (floats.length < n) {
                floats = new float[n];
            }
            return floats;
        }
    }

    /**
     * The packed form of {@code w}, or {@code null} when there is none for its type on this machine (no
     * Vector API, a type without an integer kernel: Q2_K, Q3_K, Q4_0, Q4_1, Q4_K, Q5_0, Q5_1, Q5_K, Q6_K and Q8_0
     * have one) or it is too large for one Java array. Rows need not be whole strips: the last strip is padded.
     */
    static PackedMatrix of(Tensor w) {
        return Loader.pack(w);
    }

    /**
     * The Java heap a packed copy of {@code w} takes (rows rounded up to 64, the tallest strip), or 0 when its
     * type has none. Q4_0 takes 18 bytes per 32 values (the file: 18), Q4_K 19 (18), Q5_0 26 (22), Q5_1 26
     * (24), Q4_1 26 (20), Q5_K 25 (22), Q8_0 34 (34), Q2_K 168 per 256 (84), Q3_K 148 (110), Q6_K 212 (210).
     */
    static long heapBytes(Tensor w) {
        long rows = (w.rows() + 63L) / 64 * 64;
        return switch (w.type()) {
            case Q2_K -> rows * w.cols() / 256 * 168;
            case Q3_K -> rows * w.cols() / 256 * 148;
            case Q4_0 -> rows * w.cols() / 32 * 18;
            case Q4_K -> rows * w.cols() / 32 * 19;
            case Q8_0 -> rows * w.cols() / 32 * 34;
            case Q5_0, Q5_1, Q4_1 -> rows * w.cols() / 32 * 26;
            case Q5_K -> rows * w.cols() / 32 * 25;
            case Q6_K -> rows * w.cols() / 256 * 212;
            default -> 0;
        };
    }

    /** Finds the Vector API implementations only when the Vector API is in use, as {@link RowOpsProvider} does. */
    final class Loader {
        private static final Method Q3 = find("dev.nabd.kernel.Q3Strips");
        private static final Method Q4 = find("dev.nabd.kernel.Q4Strips");
        private static final Method Q5 = find("dev.nabd.kernel.Q5Strips");
        private static final Method Q6 = find("dev.nabd.kernel.Q6Strips");
        private static final Method Q8 = find("dev.nabd.kernel.Q8Strips");

        private Loader() {
        }

        private static Method find(String className) {
            if (!(FloatOpsProvider.get() instanceof PanamaFloatOps)) {
                return null;
            }
            try {
                return Class.forName(className).getDeclaredMethod("of", Tensor.class);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        static PackedMatrix pack(Tensor w) {
            Method of = switch (w.type()) {
                case Q2_K, Q3_K -> Q3;
                case Q4_0, Q4_K -> Q4;
                case Q4_1, Q5_0, Q5_1, Q5_K -> Q5;
                case Q6_K -> Q6;
                case Q8_0 -> Q8;
                default -> null;
            };
            if (of == null || w.cols() % w.type().blockSize() != 0) {
                return null;   // a row of part blocks: no file has one (GgufReader refuses it), a hand-built tensor might
            }
            try {
                return (PackedMatrix) of.invoke(null, w);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot pack " + w, e);
            }
        }
    }
}
