package dev.nabd.kernel;

import dev.nabd.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * y = W·x for a batch of activation rows, with W kept in its own type in the mapped file.
 *
 * <p>Layout: W has {@code rows} rows of {@code cols} values; activations are {@code batch} rows of
 * {@code cols} floats at stride {@code xStride}; outputs are {@code batch} rows of {@code rows} floats at
 * stride {@code yStride}. Weight rows are split in contiguous ranges over the thread team, so each weight
 * byte is read by one thread and each thread writes its own columns of y; a prompt-sized batch through
 * packed matrices is split by groups of strips and, where a share ends inside a group, by tokens
 * ({@link #runGroups}): the threads on either side of that cut both read the group's weights, each for
 * its own tokens. Several matrices that read
 * the same activations (q, k, v; gate, up) go in one step, their rows laid end to end before splitting,
 * so the team meets once instead of three times.
 *
 * <p>One token (decode) uses the fused dot product of the weight type, reading each weight byte once.
 * A batch decodes each weight row once into a per-thread buffer and dots it with every activation row.
 *
 * <p>A matrix given to {@link #pack} beforehand (Q2_K, Q3_K, Q4_0, Q4_1, Q4_K, Q5_0, Q5_1, Q5_K, Q6_K and Q8_0 on the Vector API) is multiplied in its
 * {@link PackedMatrix} form instead: the activations are quantised once per step to {@link Q8Activations}
 * (Q8_0, or Q8_K for the K-quants) and every product is an integer one, as llama.cpp computes it. Its results match llama.cpp's real
 * (quantised-activation) output rather than exact math on the dequantised weights.
 *
 * <p>Both float paths give the same bits: {@link RowOps#dot} equals {@link FloatOps#dot} over the decoded row,
 * and the tile {@link FloatOps#dot4x4} equals {@code dot} per output. So the value for one (token, output)
 * does not depend on the batch size, the token's place in the batch, or how rows fall to threads and
 * tiles: a sequence gives the same result alone or batched with others.
 *
 * <p>An instance is a reusable step description for one thread team; it is not thread-safe, and calling
 * it allocates nothing.
 */
public final class MatMul implements ThreadTeam.Task {
    private static final int MAX_MATRICES = 3;
    private static final java.util.concurrent.atomic.AtomicBoolean HEAP_WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private final ThreadTeam team;
    private final FloatOps ops;
    private final float[][] rowBuffers;   // per thread: ROW_TILE decoded weight rows
    private final float[][] tileOut;      // per thread: one 4×4 block of results
    private final PackedMatrix.Workspace[] workspaces;   // per thread: unpacked weights of packed matrices
    private static final int ROW_TILE = 4;
    // The step being run: set by apply, read by the team.
    private final Tensor[] ws = new Tensor[MAX_MATRICES];
    private final RowOps[] kernels = new RowOps[MAX_MATRICES];
    private final PackedMatrix[] packs = new PackedMatrix[MAX_MATRICES];
    private final Map<Tensor, PackedMatrix> packed = new IdentityHashMap<>();
    private long packedBytes;   // heap taken by the copies in packed
    // The step's activations in the 8-bit forms its packed matrices take (Q8_0, Q8_K), by ordinal.
    private final Q8Activations[] quantized = new Q8Activations[ActivationFormat.values().length];
    private final boolean[] quantizedDone = new boolean[ActivationFormat.values().length];
    private Q8Activations quantizing;
    /** Quantises the step's rows split over the team: a prompt's rows are worth the extra meeting. */
    private final ThreadTeam.Task quantizeStep;
    private final boolean llamaActivations;
    // The step's activations as each matrix's format represents them (see ActivationFormat), by ordinal.
    private final float[][] rounded = new float[ActivationFormat.values().length][0];
    private final boolean[] roundedDone = new boolean[ActivationFormat.values().length];
    private final float[][] xs = new float[MAX_MATRICES][];
    private final int[] xStrides = new int[MAX_MATRICES];
    private final float[][] ys = new float[MAX_MATRICES][];
    private final int[] yStrides = new int[MAX_MATRICES];
    private int count;
    private int totalRows;
    /** Whether the step splits by groups of strips and tokens ({@link #runGroups}) rather than by rows. */
    private boolean splitByGroups;
    /**
     * The batch from which packed steps split by groups and tokens: a share of a few tokens would go
     * through the decode kernel, slower than the batch kernel on a whole group.
     */
    private static final int GROUP_SPLIT_TOKENS = 16;
    private float[] x;
    private int xStride;
    private int batch;

    /**
     * A product of float activations with the stored weights, dequantised (exact math).
     *
     * @param maxCols the longest weight row this instance will multiply
     */
    public MatMul(ThreadTeam team, FloatOps ops, int maxCols) {
        this(team, ops, maxCols, false);
    }

    /**
     * @param maxCols the longest weight row this instance will multiply
     * @param llamaActivations whether activations meet each weight type in the form llama.cpp gives them
     *        ({@link ActivationFormat}), so that results match llama.cpp's real output; packed matrices
     *        ({@link #pack}) are only used then
     */
    public MatMul(ThreadTeam team, FloatOps ops, int maxCols, boolean llamaActivations) {
        this.team = team;
        this.llamaActivations = llamaActivations;
        this.ops = ops;
        this.quantized[ActivationFormat.Q8_0.ordinal()] = new Q8Activations(ops, ActivationFormat.Q8_0);
        this.quantized[ActivationFormat.Q8_K.ordinal()] = new Q8Activations(ops, ActivationFormat.Q8_K);
        this.quantizeStep = (index, size) -> quantizing.quantizeRows(x, xStride,
                ThreadTeam.rangeStart(batch, index, size), ThreadTeam.rangeStart(batch, index + 1, size));
        this.rowBuffers = new float[team.size()][ROW_TILE * maxCols];
        this.tileOut = ThreadTeam.perWorker(team.size(), 16);
        this.workspaces = new PackedMatrix.Workspace[team.size()];
        for (int i = 0; i < workspaces.length; i++) {
            workspaces[i] = new PackedMatrix.Workspace();
        }
    }

    /** The thread team this instance splits work over. */
    public ThreadTeam team() {
        return team;
    }

    /**
     * Multiplies {@code w} from now on in its packed form, when it has one on this machine (see
     * {@link PackedMatrix#of}); returns whether it does. Packing copies the matrix, once, at load, to the
     * Java heap. The copies of one instance stay within the heap's maximum less a reserve (an eighth, at
     * least 256 MiB): a matrix past that budget stays in the file and is multiplied by its float kernel,
     * with one warning per run. The budget depends on -Xmx only, not on the heap's state at the moment,
     * so the same model and heap always take the same kernels.
     */
    public boolean pack(Tensor w) {
        if (!llamaActivations) {
            return false;
        }
        if (packed.containsKey(w)) {
            return true;
        }
        long max = Runtime.getRuntime().maxMemory();
        long need = PackedMatrix.heapBytes(w);
        if (packedBytes + need > max - Math.max(256L << 20, max / 8)) {
            if (need > 0 && FloatOpsProvider.get() instanceof PanamaFloatOps && !HEAP_WARNED.getAndSet(true)) {
                System.getLogger(MatMul.class.getName()).log(System.Logger.Level.WARNING,
                        "the Java heap ({0} MiB) is too small to repack every matrix for the integer kernels; the rest are"
                                + " multiplied from the file, more slowly (give the JVM more heap: -Xmx)", String.valueOf(max >> 20));
            }
            return false;
        }
        PackedMatrix p = PackedMatrix.of(w);
        if (p != null) {
            packed.put(w, p);
            packedBytes += need;
        }
        return p != null;
    }

    /** y[b][r] = Σ_c W[r][c]·x[b][c] for b &lt; batch, r &lt; W.rows(). */
    public void apply(Tensor w, float[] x, int xStride, float[] y, int yStride, int batch) {
        begin(x, xStride, batch);
        add(w, y, yStride);
        run();
    }

    /** Two products of the same activations in one step. */
    public void apply(Tensor w1, float[] y1, int y1Stride, Tensor w2, float[] y2, int y2Stride,
                      float[] x, int xStride, int batch) {
        begin(x, xStride, batch);
        add(w1, y1, y1Stride);
        add(w2, y2, y2Stride);
        run();
    }

    /** Three products of the same activations in one step. */
    public void apply(Tensor w1, float[] y1, int y1Stride, Tensor w2, float[] y2, int y2Stride,
                      Tensor w3, float[] y3, int y3Stride, float[] x, int xStride, int batch) {
        begin(x, xStride, batch);
        add(w1, y1, y1Stride);
        add(w2, y2, y2Stride);
        add(w3, y3, y3Stride);
        run();
    }

    private void begin(float[] x, int xStride, int batch) {
        this.x = x;
        this.xStride = xStride;
        this.batch = batch;
        this.count = 0;
        this.totalRows = 0;
    }

    private void add(Tensor w, float[] y, int yStride) {
        ws[count] = w;
        kernels[count] = RowOpsProvider.of(w.type());
        packs[count] = packed.get(w);
        ys[count] = y;
        yStrides[count] = yStride;
        count++;
        totalRows += w.rows();
    }

    private void run() {
        // The matrices of a step read the same activations: each form they need is made once, here.
        java.util.Arrays.fill(quantizedDone, false);
        java.util.Arrays.fill(roundedDone, false);
        for (int m = 0; m < count; m++) {
            xs[m] = x;
            xStrides[m] = xStride;
            if (packs[m] != null) {
                int f = packs[m].activations().ordinal();
                if (!quantizedDone[f]) {
                    quantizing = quantized[f];
                    quantizing.prepare(ws[m].cols(), batch);
                    if (batch >= ThreadTeam.SPLIT_ROWS) {
                        team.run(quantizeStep);
                    } else {
                        quantizing.quantizeRows(x, xStride, 0, batch);
                    }
                    quantizedDone[f] = true;
                }
            } else if (llamaActivations) {
                ActivationFormat f = ActivationFormat.forWeights(ws[m].type());
                int cols = ws[m].cols();
                if (f != ActivationFormat.EXACT && cols % f.block() == 0) {
                    int k = f.ordinal();
                    if (!roundedDone[k]) {
                        if (rounded[k].length < batch * cols) {
                            rounded[k] = new float[batch * cols];
                        }
                        for (int b = 0; b < batch; b++) {
                            f.round(x, b * xStride, rounded[k], b * cols, cols);
                        }
                        roundedDone[k] = true;
                    }
                    xs[m] = rounded[k];
                    xStrides[m] = cols;
                }
            }
        }
        splitByGroups = batch >= GROUP_SPLIT_TOKENS;
        for (int m = 0; m < count; m++) {
            splitByGroups &= packs[m] != null;
        }
        team.run(this);
    }


    @Override
    public void run(int index, int size) {
        if (splitByGroups) {
            runGroups(index, size);
            return;
        }
        int from = ThreadTeam.rangeStart(totalRows, index, size);
        int to = ThreadTeam.rangeStart(totalRows, index + 1, size);
        int base = 0;
        for (int m = 0; m < count && base < to; m++) {
            int rows = ws[m].rows();
            int lo = Math.max(from, base) - base;
            int hi = Math.min(to, base + rows) - base;
            PackedMatrix p = packs[m];
            if (p != null) {
                // A strip goes to the thread whose range holds its first row.
                int w = p.strip();
                p.multiply(quantized[p.activations().ordinal()], ys[m], yStrides[m], (lo + w - 1) / w, (hi + w - 1) / w, workspaces[index]);
            } else if (lo < hi) {
                rowRange(ws[m], kernels[m], xs[m], xStrides[m], ys[m], yStrides[m], lo, hi, rowBuffers[index], tileOut[index]);
            }
            base += rows;
        }
    }

    /**
     * A batch through packed matrices only: the work is split in units of one group of strips (the
     * batch kernel's unit: {@link PackedMatrix#group}) times all the tokens, each weighing its rows, and
     * the threads' shares are cut at the same point in that sequence of rows × tokens, so a unit on a cut
     * is shared by tokens. Split by rows alone, a matrix of an odd number of groups (qwen2.5's 896 rows:
     * seven groups of 128) leaves one thread a whole group more to do than the other. A matrix's last
     * group takes the strips left over after whole groups (up to 2·group − 1 strips, whose last group
     * overlaps the one before it on the same thread), so no two threads ever write the same outputs.
     */
    private void runGroups(int index, int size) {
        long total = 0;
        for (int m = 0; m < count; m++) {
            total += (long) paddedRows(packs[m]) * batch;
        }
        long from = total * index / size;
        long to = total * (index + 1) / size;
        long base = 0;
        for (int m = 0; m < count && base < to; m++) {
            PackedMatrix p = packs[m];
            int strips = (p.rows() + p.strip() - 1) / p.strip();
            int units = Math.max(1, strips / p.group());
            Q8Activations q = quantized[p.activations().ordinal()];
            for (int u = 0; u < units && base < to; u++) {
                int first = u * p.group();
                int last = u == units - 1 ? strips : first + p.group();
                long unitRows = (long) (last - first) * p.strip();
                long end = base + unitRows * batch;
                if (end > from) {
                    // This thread's tokens of the unit: its share's ends, in tokens, rounded to the nearest.
                    int t0 = Math.clamp((from - base + unitRows / 2) / unitRows, 0, batch);
                    int t1 = Math.clamp((to - base + unitRows / 2) / unitRows, 0, batch);
                    if (t0 < t1) {
                        p.multiply(q, t0, t1, ys[m], yStrides[m], first, last, workspaces[index]);
                    }
                }
                base = end;
            }
        }
    }

    private static int paddedRows(PackedMatrix p) {
        return (p.rows() + p.strip() - 1) / p.strip() * p.strip();
    }

    private void rowRange(Tensor w, RowOps k, float[] x, int xStride, float[] y, int yStride, int from, int to, float[] buf, float[] tile) {
        int cols = w.cols();
        long rowBytes = w.rowBytes();
        if (batch == 1) {
            // Rows in fours a quarter of the range apart, for kernels that share their loads of x between
            // rows (RowOps.dot4). Not adjacent rows: each 4 KB row would be a short stream of its own that
            // the hardware prefetcher must find anew (measured 1.5-2x slower), while rows far apart are
            // four long streams side by side (F16 from memory: four ~1.1-1.4x faster than two).
            int quarter = (to - from) / 4;
            float[] scaled = x;
            float scale = k.dot4Scale();
            if (scale != 1f && quarter > 0) {
                scaled = buf;   // this thread's own scratch, free in a batch of one
                boolean finite = true;
                for (int i = 0; i < cols; i++) {
                    scaled[i] = x[i] * scale;
                    finite &= Float.isFinite(scaled[i]) || !Float.isFinite(x[i]);
                }
                if (!finite) {
                    // A value the scale takes past the floats (F16 rows with activations of 2^16 or more,
                    // which are not rounded to F16): every row through dot(), on x as it is.
                    quarter = 0;
                }
            }
            for (int r = from; r < from + quarter; r++) {
                k.dot4(w.data(), r * rowBytes, quarter * rowBytes, scaled, 0, cols, y, r, quarter);
            }
            for (int r = from + 4 * quarter; r < to; r++) {
                y[r] = k.dot(w.data(), r * rowBytes, x, 0, cols);
            }
            return;
        }
        // A batch: decode ROW_TILE weight rows once, then multiply them with the tokens four at a time,
        // so every weight and activation value loaded serves four multiply-adds.
        int r = from;
        for (; r + ROW_TILE <= to; r += ROW_TILE) {
            for (int i = 0; i < ROW_TILE; i++) {
                k.dequantize(w.data(), (r + i) * rowBytes, buf, i * cols, cols);
            }
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                ops.dot4x4(buf, 0, cols, x, b * xStride, xStride, cols, tile);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        y[(b + j) * yStride + r + i] = tile[4 * i + j];
                    }
                }
            }
            for (; b < batch; b++) {
                for (int i = 0; i < ROW_TILE; i++) {
                    y[b * yStride + r + i] = ops.dot(buf, i * cols, x, b * xStride, cols);
                }
            }
        }
        for (; r < to; r++) {
            k.dequantize(w.data(), r * rowBytes, buf, 0, cols);
            for (int b = 0; b < batch; b++) {
                y[b * yStride + r] = ops.dot(buf, 0, x, b * xStride, cols);
            }
        }
    }
}
