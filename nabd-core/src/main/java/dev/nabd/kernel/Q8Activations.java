package dev.nabd.kernel;

/**
 * Activation rows quantised to ggml's Q8_0 form, the {@code vec_dot_type} of Q4_0, Q5_0 and Q8_0 weights:
 * blocks of 32 values, each a scale d and 32 integers q in [−127, 127] with value ≈ d·q. Integer
 * weights times these integers sum exactly, so a product no longer depends on summation order within a
 * block, and integer lanes carry twice as many values as float lanes.
 *
 * <p>The rounding is ggml's x86 {@code quantize_row_q8_0}, the one that produced llama.cpp's golden
 * logits: {@code amax} = the largest |x| of the block, d = amax/127 stored as fp16, and
 * q = round-half-even(x · (127/amax)) in float. (ggml's portable reference divides by the fp16-rounded
 * d and rounds half away from zero; the two differ in the last unit on rare values.)
 *
 * <p>Buffers grow to the largest batch seen and are then reused: quantising does not allocate once a
 * batch of that size has been seen.
 */
public final class Q8Activations {
    /** Values per block. */
    public static final int BLOCK = 32;

    private final FloatOps ops;
    private byte[] q = new byte[0];
    private float[] d = new float[0];
    private int cols;
    private int rows;

    /** Activations quantised with the given vector operations (their results are the same bits). */
    public Q8Activations(FloatOps ops) {
        this.ops = ops;
    }

    /**
     * Quantises {@code batch} rows of {@code cols} values (a multiple of 32) starting every {@code stride}
     * floats of {@code x}.
     */
    public void quantize(float[] x, int stride, int cols, int batch) {
        prepare(cols, batch);
        quantizeRows(x, stride, 0, batch);
    }

    /** Sizes the buffers for {@code batch} rows of {@code cols} values, before {@link #quantizeRows}. */
    void prepare(int cols, int batch) {
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("rows of " + cols + " values are not whole blocks of " + BLOCK);
        }
        if (q.length < cols * batch) {
            q = new byte[cols * batch];
            d = new float[cols / BLOCK * batch];
        }
        this.cols = cols;
        this.rows = batch;
    }

    /**
     * Quantises rows {@code from .. to} of the batch {@link #prepare}d; threads may quantise different
     * rows at once (each row is written by its caller only).
     */
    void quantizeRows(float[] x, int stride, int from, int to) {
        int blocks = cols / BLOCK;
        for (int r = from; r < to; r++) {
            for (int b = 0; b < blocks; b++) {
                quantizeBlock(x, r * stride + b * BLOCK, r * cols + b * BLOCK, r * blocks + b);
            }
        }
    }

    private void quantizeBlock(float[] x, int from, int to, int scale) {
        float amax = ops.maxAbs(x, from, BLOCK);
        d[scale] = scale(amax);
        ops.roundToBytes(x, from, inverseScale(amax), q, to, BLOCK);
    }

    /** The scale of a block whose largest |x| is {@code amax}: amax/127, rounded to fp16 as ggml stores it. */
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

    /** The integers, row after row ({@link #cols()} per row). */
    byte[] quants() {
        return q;
    }

    /** The block scales, row after row ({@link #cols()}/32 per row). */
    float[] scales() {
        return d;
    }

    /** Integer {@code i} of row {@code row}. */
    public int quant(int row, int i) {
        return q[row * cols + i];
    }

    /** Scale of block {@code block} of row {@code row}. */
    public float scale(int row, int block) {
        return d[row * (cols / BLOCK) + block];
    }
}
