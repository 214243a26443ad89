package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodec;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;

/**
 * y = W·x for a batch of activation rows, with W kept in its own type in the mapped file.
 *
 * <p>Layout: W has {@code rows} rows of {@code cols} values; activations are {@code batch} rows of
 * {@code cols} floats at stride {@code xStride}; outputs are {@code batch} rows of {@code rows} floats at
 * stride {@code yStride}. Output rows (weight rows) are split in contiguous ranges over the thread team, so
 * each weight byte is read by one thread only and each thread writes its own columns of y.
 *
 * <p>This is the exact "dequantised weights × float activations" path: a quantised weight row is decoded
 * once into a per-thread buffer and then dotted with every activation row of the batch, so prompt batches
 * decode each weight row once, not once per token. F32 weights are read directly from the mapping.
 */
public final class MatMul {
    private final ThreadTeam team;
    private final FloatOps ops;
    private final float[][] rowBuffers;

    /**
     * @param maxCols the longest weight row this instance will multiply
     */
    public MatMul(ThreadTeam team, FloatOps ops, int maxCols) {
        this.team = team;
        this.ops = ops;
        this.rowBuffers = new float[team.size()][maxCols];
    }

    /** The thread team this instance splits work over. */
    public ThreadTeam team() {
        return team;
    }

    /** y[b][r] = Σ_c W[r][c]·x[b][c] for b &lt; batch, r &lt; W.rows(). */
    public void apply(Tensor w, float[] x, int xStride, float[] y, int yStride, int batch) {
        int rows = w.rows();
        team.run((index, size) -> rowRange(w, x, xStride, y, yStride, batch,
                ThreadTeam.rangeStart(rows, index, size), ThreadTeam.rangeStart(rows, index + 1, size), rowBuffers[index]));
    }

    /** Like {@link #apply} for a single weight row range, run by the calling thread (used inside larger tasks). */
    private void rowRange(Tensor w, float[] x, int xStride, float[] y, int yStride, int batch, int from, int to, float[] buf) {
        int cols = w.cols();
        long rowBytes = w.rowBytes();
        if (w.type() == GgmlType.F32) {
            for (int r = from; r < to; r++) {
                long off = r * rowBytes;
                for (int b = 0; b < batch; b++) {
                    y[b * yStride + r] = ops.dot(w.data(), off, x, b * xStride, cols);
                }
            }
            return;
        }
        BlockCodec codec = BlockCodecs.of(w.type());
        for (int r = from; r < to; r++) {
            codec.dequantize(w.data(), r * rowBytes, buf, 0, cols);
            for (int b = 0; b < batch; b++) {
                y[b * yStride + r] = ops.dot(buf, 0, x, b * xStride, cols);
            }
        }
    }
}
