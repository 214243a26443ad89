package dev.nabd.kernel;


import java.util.Arrays;

/**
 * Activation rows quantised to 8 bits as ggml does before an integer product ({@code vec_dot_type}):
 * integers q in [−127, 127] with value ≈ d·q, d shared by a block. Integer weights times these integers
 * sum exactly, so a product no longer depends on summation order within a block, and integer lanes carry
 * twice as many values as float lanes.
 *
 * <p>Two forms:
 * <ul>
 *   <li>{@link ActivationFormat#Q8_0} (for Q4_0, Q5_0 and Q8_0, and for Q4_1 and Q5_1, which llama.cpp gives
 *   Q8_1 blocks: the same integers, with d·Σq kept beside them in fp16 where {@link #blockSum} keeps it in
 *   float): blocks of 32, ggml's x86 {@code quantize_row_q8_0}, the one that produced llama.cpp's golden
 *   logits: {@code amax} = the largest |x| of the block, d = amax/127 stored as fp16, and
 *   q = round-half-even(x · (127/amax)) in float. (ggml's portable reference divides by the fp16-rounded d
 *   and rounds half away from zero; the two differ in the last unit on rare values.)</li>
 *   <li>{@link ActivationFormat#Q8_K} (for the K-quants): blocks of 256, {@code quantize_row_q8_K}: with
 *   {@code max} the value of largest magnitude (the first, on a tie), iscale = −127/max, q = nearest(iscale·x)
 *   (ties to even) and d = 1/iscale in float.</li>
 * </ul>
 * Either way {@link #scale} gives d per block of 32 values (a Q8_K d repeated over its eight), and
 * {@link #blockSum} d·Σq per 32 values, which products with minimums or offsets need (the K-quants,
 * Q4_1, Q5_1).
 *
 * <p>Buffers grow to the largest batch seen and are then reused: quantising does not allocate once a
 * batch of that size has been seen.
 */
public final class Q8Activations {
    /** Values per block of {@link #scale}. */
    public static final int BLOCK = 32;
    private static final int SUPER = 256;

    private final FloatOps ops;
    private final ActivationFormat format;
    private short[] wide = new short[0];
    private float[] floats = new float[0];
    private float[] d = new float[0];
    private float[] sums = new float[0];
    private short[] eights = new short[0];
    private short[] octets = new short[0];
    private int cols;
    private int rows;

    /** Q8_0 activations, quantised with the given vector operations (their results are the same bits). */
    public Q8Activations(FloatOps ops) {
        this(ops, ActivationFormat.Q8_0);
    }

    /** Activations in {@code format}, {@link ActivationFormat#Q8_0} or {@link ActivationFormat#Q8_K}. */
    public Q8Activations(FloatOps ops, ActivationFormat format) {
        if (format != ActivationFormat.Q8_0 && format != ActivationFormat.Q8_K) {
            throw new IllegalArgumentException("8-bit activations are Q8_0 or Q8_K, not " + format);
        }
        this.ops = ops;
        this.format = format;
    }

    /** The form these activations take. */
    public ActivationFormat format() {
        return format;
    }

    /**
     * Quantises {@code batch} rows of {@code cols} values (a multiple of 32, of 256 for Q8_K) starting
     * every {@code stride} floats of {@code x}.
     */
    public void quantize(float[] x, int stride, int cols, int batch) {
        prepare(cols, batch);
        quantizeRows(x, stride, 0, batch);
    }

    /** Sizes the buffers for {@code batch} rows of {@code cols} values, before {@link #quantizeRows}. */
    void prepare(int cols, int batch) {
        if (cols % format.block() != 0) {
            throw new IllegalArgumentException("rows of " + cols + " values are not whole blocks of " + format.block());
        }
        if (wide.length < cols * batch) {
            wide = new short[cols * batch];
            floats = new float[cols * batch];
            d = new float[cols / BLOCK * batch];
            sums = new float[cols / BLOCK * batch];
            eights = new short[cols / BLOCK * batch];
            octets = new short[cols / 8 * batch];
        }
        this.cols = cols;
        this.rows = batch;
    }

    /**
     * Quantises rows {@code from .. to} of the batch {@link #prepare}d; threads may quantise different
     * rows at once (each row is written by its caller only).
     *
     * <p>Row by row in three passes, each a loop C2 vectorises: the blocks' scales and the rounded values
     * as floats (in {@link #floatQuants}' row, which Q8_0 keeps and Q8_K uses as scratch); those floats
     * to shorts (and, for Q8_0, back to floats: the integers as the kernels see them, so a value that
     * overflowed does what the short does); then one pass over the shorts for every sum the kernels take.
     * (A plain loop per block of 32 is too short for C2 to vectorise: the former one took 2 ns a value.)
     */
    void quantizeRows(float[] x, int stride, int from, int to) {
        int blocks = cols / BLOCK;
        for (int r = from; r < to; r++) {
            int row = r * cols;
            quantizeRow(x, stride, r, blocks);
            for (int i = row; i < row + cols; i++) {
                wide[i] = (short) (int) floats[i];
            }
            if (format == ActivationFormat.Q8_0) {   // only Q8_0 weights read them (Q8Strips)
                for (int i = row; i < row + cols; i++) {
                    floats[i] = wide[i];
                }
            }
            // Per 8 (Q6_K, and per 16 from two of them for Q3_K, Q2_K and the Q5 strips), then per 32 (Q4
            // offsets, minimums and offsets of the other types) from those. Eight loads summed as a tree,
            // not in a loop: 0.28 ns a value against 0.65.
            for (int o = row / 8; o < (row + cols) / 8; o++) {
                int i = 8 * o;
                int eight = ((wide[i] + wide[i + 1]) + (wide[i + 2] + wide[i + 3])) + ((wide[i + 4] + wide[i + 5]) + (wide[i + 6] + wide[i + 7]));
                octets[o] = (short) (32 * eight);   // |32·8·127| = 32512: exact
            }
            for (int b = r * blocks; b < (r + 1) * blocks; b++) {
                int sum = (octets[4 * b] + octets[4 * b + 1] + octets[4 * b + 2] + octets[4 * b + 3]) >> 5;
                eights[b] = (short) (8 * sum);   // |8·32·127| = 32512: exact
                sums[b] = d[b] * sum;
            }
        }
    }

    private void quantizeRow(float[] x, int stride, int r, int blocks) {
        if (format == ActivationFormat.Q8_0) {
            for (int b = 0; b < blocks; b++) {
                int from = r * stride + b * BLOCK;
                float amax = ops.maxAbs(x, from, BLOCK);
                d[r * blocks + b] = scale(amax);
                ops.roundScaled(x, from, inverseScale(amax), floats, r * cols + b * BLOCK, BLOCK);
            }
        } else {
            for (int b = 0; b < cols / SUPER; b++) {
                int from = r * stride + b * SUPER;
                float max = ops.largestMagnitude(x, from, SUPER);
                float amax = Math.abs(max);
                float iscale = amax == 0 ? 0 : -127f / max;
                // |iscale·x| ≤ 127 up to a rounding of the product, which cannot reach 127.5: ggml's
                // min(127, ·) never bites, so the plain rounding gives its integers.
                ops.roundScaled(x, from, iscale, floats, r * cols + b * SUPER, SUPER);
                int scale = r * blocks + b * (SUPER / BLOCK);
                Arrays.fill(d, scale, scale + SUPER / BLOCK, amax == 0 ? 0 : 1 / iscale);
            }
        }
    }

    /** The scale of a Q8_0 block whose largest |x| is {@code amax}: amax/127, rounded to fp16 as ggml stores it. */
    static float scale(float amax) {
        return Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
    }

    /** What ggml's x86 code multiplies values by before rounding: 127/amax in float, 0 for an all-zero block. */
    static float inverseScale(float amax) {
        return amax != 0 ? 127f / amax : 0f;
    }

    /** Values per row of the last batch. */
    public int cols() {
        return cols;
    }

    /** Rows of the last batch. */
    public int rows() {
        return rows;
    }

    /**
     * The integers as shorts, row after row: the strips' kernels broadcast each one to a vector, and C2
     * broadcasts a short straight from memory (one instruction) where a byte goes through a general
     * register first (measured 10-15% on the Q4_0 decode kernel).
     */
    short[] wideQuants() {
        return wide;
    }

    /** 8·Σq of each block of 32, row after row: what {@link Q4Strips} takes off its sums of unsigned nibbles. */
    short[] eightSums() {
        return eights;
    }

    /**
     * 32·Σq of each run of 8 values, row after row: what {@link Q6Strips} takes off its sums of
     * unsigned values, {@link Q3Strips} (two of them) of its sums of nibbles, and {@link Q5Strips} (half of
     * two of them: 16·Σq of sixteen) of its sums of 5-bit fields.
     */
    short[] octetSums() {
        return octets;
    }

    /** Q8_0: the integers as floats, row after row ({@link Q8Strips} multiplies them in float lanes); scratch for Q8_K. */
    float[] floatQuants() {
        return floats;
    }

    /** The scale of each block of 32, row after row ({@link #cols()}/32 per row). */
    float[] scales() {
        return d;
    }

    /** d·Σq of each block of 32, row after row (the minimums and offsets of the K-quants, Q4_1 and Q5_1 meet it). */
    float[] blockSums() {
        return sums;
    }

    /** Integer {@code i} of row {@code row}. */
    public int quant(int row, int i) {
        return wide[row * cols + i];
    }

    /** Scale of block {@code block} (of 32 values) of row {@code row}. */
    public float scale(int row, int block) {
        return d[row * (cols / BLOCK) + block];
    }

    /** d·Σq of block {@code block} (of 32 values) of row {@code row}. */
    public float blockSum(int row, int block) {
        return sums[row * (cols / BLOCK) + block];
    }
}
