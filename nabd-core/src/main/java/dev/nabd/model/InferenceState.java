package dev.nabd.model;

import dev.nabd.kernel.ThreadTeam;
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
    /** Batch rows per attention item at most: the rows that share each decoded block. */
    static final int ROWS_PER_RUN = 16;

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
    final float[][] cos;   // per worker, RoPE rotation of the row it is at: [ropeDim / 2]
    final float[][] sin;
    // Attention scratch per worker (Transformer.attendHeads): a block of KvCache.BLOCK positions' keys
    // (KvCache.keyBlock: transposed, plus room to decode rows into) and values of one KV head decoded to
    // floats, the block's scores of the queries (rows × heads) of one call, and per row and head of a run
    // the running maximum and sum of the online softmax.
    final float[][] blockKeys;
    final float[][] blockValues;
    final float[][] blockScores;
    final int[][] queryOffsets;   // per worker: where each query of a block's call starts in q
    final int[][] outputOffsets;  // and where its output starts in att
    final float[][] runMax;
    final float[][] runSum;
    final int[] runStart;  // attention's runs of batch rows with one cache: run i is rows runStart[i] .. runStart[i+1]
    final float[] logits;  // [maxLogitRows × vocab]


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
        this.cos = ThreadTeam.perWorker(workers, c.ropeDim() / 2);
        this.sin = ThreadTeam.perWorker(workers, c.ropeDim() / 2);
        this.blockKeys = ThreadTeam.perWorker(workers, 2 * KvCache.BLOCK * c.headDim());
        this.blockValues = ThreadTeam.perWorker(workers, KvCache.BLOCK * c.valueDim());
        this.blockScores = ThreadTeam.perWorker(workers, KvCache.BLOCK * ROWS_PER_RUN * c.heads() / c.kvHeads());
        this.queryOffsets = ThreadTeam.perWorkerInts(workers, ROWS_PER_RUN * c.heads() / c.kvHeads());
        this.outputOffsets = ThreadTeam.perWorkerInts(workers, ROWS_PER_RUN * c.heads() / c.kvHeads());
        this.runMax = ThreadTeam.perWorker(workers, ROWS_PER_RUN * c.heads() / c.kvHeads());
        this.runSum = ThreadTeam.perWorker(workers, ROWS_PER_RUN * c.heads() / c.kvHeads());
        this.runStart = new int[maxBatch + 1];
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
