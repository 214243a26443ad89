package dev.nabd.model;

import dev.nabd.tensor.GgmlType;

/**
 * The buffers of a forward pass, sized once (for up to {@code maxBatch} tokens per pass) so that no pass
 * allocates, and, for a single sequence, its KV cache.
 *
 * <p>Each row of a batch names the cache it belongs to and its position there ({@link #rowCache},
 * {@link #rowPosition}). A single sequence's pass fills them with its own cache and consecutive
 * positions; a batch of several sequences (continuous batching) mixes rows of different caches.
 */
public final class InferenceState {
    final KvCache kv;             // null for a batch state, whose rows name their own caches
    final KvCache[] rowCache;     // per batch row: the sequence's cache
    final int[] rowPosition;      // per batch row: its position in that cache
    final int[] logitRows;        // batch rows whose logits are produced, in output order
    final int maxBatch;
    final int contextLength;
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
    final float[][] scores; // per worker: attention scores over the context, for each head of a KV group
    final float[] logits;  // [maxLogitRows × vocab]

    final float[][] headKeys;   // per worker: one position's key of a KV head, decoded from the cache
    final float[][] headValues; // per worker: one position's value of a KV head, decoded from the cache

    InferenceState(ModelConfig c, int contextLength, int maxBatch, int maxLogitRows, int workers, GgmlType kvType) {
        if (maxBatch < 1 || maxLogitRows < 1) {
            throw new IllegalArgumentException("batch and logit rows must be positive");
        }
        this.kv = kvType == null ? null : new KvCache(c, contextLength, kvType);
        this.rowCache = new KvCache[maxBatch];
        this.rowPosition = new int[maxBatch];
        this.logitRows = new int[maxLogitRows];
        this.maxBatch = maxBatch;
        this.contextLength = contextLength;
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
        this.scores = new float[workers][c.heads() / c.kvHeads() * contextLength];
        this.headKeys = new float[workers][c.headDim()];
        this.headValues = new float[workers][c.valueDim()];
        this.logits = new float[maxLogitRows * c.vocabSize()];
    }

    /** Number of positions this sequence can hold (a batch state: the longest context of its caches). */
    public int contextLength() {
        return contextLength;
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

    /** The KV cache of this sequence, or null for a batch state. */
    public KvCache kvCache() {
        return kv;
    }
}
