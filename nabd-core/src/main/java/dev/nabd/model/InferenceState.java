package dev.nabd.model;

import dev.nabd.kernel.RowOps;
import dev.nabd.kernel.RowOpsProvider;
import dev.nabd.tensor.GgmlType;

/**
 * Everything one sequence needs while it runs: its KV cache and the scratch buffers of a forward pass,
 * all sized once (for up to {@code maxBatch} tokens per pass) so that no pass allocates.
 */
public final class InferenceState {
    final KvCache kv;
    final int maxBatch;
    final int maxLogitRows;
    // Activations, one row per token of the batch: [maxBatch × width].
    final float[] x;       // residual stream
    final float[] xb;      // normalised input of a block
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] att;     // attention output before the output projection
    final float[] proj;    // output of a projection back to dim, added to x
    final float[] gate;
    final float[] up;
    final float[] cos;     // RoPE rotation of the current row: [ropeDim / 2]
    final float[] sin;
    final float[][] scores; // per worker: attention scores over the context
    final float[] logits;  // [maxLogitRows × vocab]

    final float[][] headValues; // per worker: one head's values decoded from the cache
    final RowOps kvRows;        // reads keys and values in the cache's type

    InferenceState(ModelConfig c, int contextLength, int maxBatch, int maxLogitRows, int workers, GgmlType kvType) {
        if (maxBatch < 1 || maxLogitRows < 1) {
            throw new IllegalArgumentException("batch and logit rows must be positive");
        }
        this.kv = new KvCache(c, contextLength, kvType);
        this.maxBatch = maxBatch;
        this.maxLogitRows = maxLogitRows;
        this.x = new float[maxBatch * c.dim()];
        this.xb = new float[maxBatch * Math.max(c.dim(), c.qDim())];
        this.q = new float[maxBatch * c.qDim()];
        this.k = new float[maxBatch * c.kvDim()];
        this.v = new float[maxBatch * c.vDim()];
        this.att = new float[maxBatch * c.qDim()];
        this.proj = new float[maxBatch * c.dim()];
        this.gate = new float[maxBatch * c.ffnDim()];
        this.up = new float[maxBatch * c.ffnDim()];
        this.cos = new float[c.ropeDim() / 2];
        this.sin = new float[c.ropeDim() / 2];
        this.scores = new float[workers][contextLength];
        this.headValues = new float[workers][c.valueDim()];
        this.kvRows = RowOpsProvider.of(kv.type());
        this.logits = new float[maxLogitRows * c.vocabSize()];
    }

    /** Number of positions this sequence can hold. */
    public int contextLength() {
        return kv.contextLength();
    }

    /** Most tokens one forward pass may take. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Most rows of logits one forward pass may produce. */
    public int maxLogitRows() {
        return maxLogitRows;
    }

    /**
     * The logits of the last pass: row r (of the rows asked for) starts at {@code r·vocab}. The array
     * is reused by the next pass.
     */
    public float[] logits() {
        return logits;
    }

    /** The KV cache of this sequence. */
    public KvCache kvCache() {
        return kv;
    }
}
