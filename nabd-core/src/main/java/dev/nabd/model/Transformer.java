package dev.nabd.model;

import dev.nabd.kernel.FloatOps;
import dev.nabd.kernel.MatMul;
import dev.nabd.kernel.ThreadTeam;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;

import java.util.List;

/**
 * The forward pass of a dense decoder (Llama, Mistral, Qwen2, Qwen3 and kin) over a batch of tokens.
 *
 * <p>One pass takes a batch of token rows, each at its own position of its own sequence's KV cache: a
 * whole prompt, one token while decoding, or (continuous batching) one decoding token of each of several
 * sequences plus chunks of new prompts. All go through this same code; only the rows differ. Per block:
 * <pre>
 *   h = RMSNorm(x)·attn_norm
 *   q, k, v = h·Wq (+bq), h·Wk (+bk), h·Wv (+bv)       q/k RMSNorm per head (Qwen3), then RoPE
 *   x += Wo · softmax(q·kᵀ / √headDim, causal) · v     GQA: query head h reads kv head h / (heads/kvHeads)
 *   h = RMSNorm(x)·ffn_norm
 *   x += Wdown · (silu(h·Wgate) ⊙ h·Wup)
 * </pre>
 * and finally logits = RMSNorm(x)·output_norm·Wout for the rows asked for.
 */
public final class Transformer {
    private final ModelConfig c;
    private final ModelWeights w;
    private final ThreadTeam team;
    private final FloatOps ops;
    private final MatMul mm;
    private final double[] ropeFrequencies;
    private final AttentionStep attention = new AttentionStep();
    private final RowStep rows = new RowStep();

    /** A forward pass multiplying every weight, dequantised, with float activations. */
    public Transformer(ModelConfig config, ModelWeights weights, ThreadTeam team, FloatOps ops) {
        this(config, weights, team, ops, false);
    }

    /**
     * @param quantizedActivations whether activations meet each weight type in the form llama.cpp gives
     *        them (8-bit blocks for quantised weights), with Q2_K, Q3_K, Q4_0, Q4_1, Q4_K, Q5_0, Q5_1, Q5_K, Q6_K and Q8_0 matrices repacked now for the integer
     *        kernel ({@link MatMul#pack}); false: exact math on the stored weights
     */
    public Transformer(ModelConfig config, ModelWeights weights, ThreadTeam team, FloatOps ops,
                       boolean quantizedActivations) {
        this.c = config;
        this.w = weights;
        this.team = team;
        this.ops = ops;
        this.mm = new MatMul(team, ops, Math.max(Math.max(c.dim(), c.qDim()), c.ffnDim()), quantizedActivations);
        this.ropeFrequencies = ropeFrequencies(config, weights.ropeFreqs());
        if (quantizedActivations) {
            for (int l = 0; l < c.layers(); l++) {
                ModelWeights.Layer lw = weights.layer(l);
                for (Tensor m : List.of(lw.wq(), lw.wk(), lw.wv(), lw.wo(), lw.gate(), lw.up(), lw.down())) {
                    mm.pack(m);
                }
            }
            mm.pack(weights.output());
        }
    }

    /** θ_i / position for each rotated pair: freqScale · base^(-2i/ropeDim), divided by the Llama-3 factor. */
    private static double[] ropeFrequencies(ModelConfig c, float[] factors) {
        double[] f = new double[c.ropeDim() / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = c.ropeFreqScale() * StrictMath.pow(c.ropeBase(), -2.0 * i / c.ropeDim());
            if (factors != null) {
                f[i] /= factors[i];
            }
        }
        return f;
    }

    public ModelConfig config() {
        return c;
    }

    public ModelWeights weights() {
        return w;
    }

    /**
     * A new sequence state.
     *
     * @param contextLength positions its KV cache holds
     * @param maxBatch most tokens per forward pass
     * @param maxLogitRows most rows of logits per pass
     */
    public InferenceState newState(int contextLength, int maxBatch, int maxLogitRows) {
        return newState(contextLength, maxBatch, maxLogitRows, GgmlType.F32);
    }

    /** A new sequence state whose KV cache stores {@code kvType} (F32, F16 or Q8_0). */
    public InferenceState newState(int contextLength, int maxBatch, int maxLogitRows, GgmlType kvType) {
        return new InferenceState(c, contextLength, maxBatch, maxLogitRows, team.size(), kvType);
    }

    /**
     * A forward-pass state with no cache of its own, for batches whose rows come from several sequences
     * ({@link #forwardRows}).
     *
     * @param maxContext the longest cache its rows will attend over
     */
    public InferenceState newBatchState(int maxContext, int maxBatch, int maxLogitRows) {
        return new InferenceState(c, maxContext, maxBatch, maxLogitRows, team.size(), null);
    }

    /**
     * Runs {@code tokens[off .. off+n)} of one sequence at positions {@code pos ..} and leaves the logits
     * of the last {@code logitRows} of them in {@link InferenceState#logits()}.
     *
     * @throws ContextOverflowException when the tokens do not fit the context
     */
    public void forward(InferenceState s, int[] tokens, int off, int n, int pos, int logitRows) {
        if (n < 1 || n > s.maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens (1 to " + s.maxBatch + " allowed)");
        }
        if (logitRows < 0 || logitRows > Math.min(n, s.maxLogitRows)) {
            throw new IllegalArgumentException("cannot produce " + logitRows + " logit rows for a batch of " + n);
        }
        if (pos < 0 || pos + n > s.contextLength()) {
            throw new ContextOverflowException(pos + n, s.contextLength());
        }
        for (int b = 0; b < n; b++) {
            s.rowCache[b] = s.kv;
            s.rowPosition[b] = pos + b;
        }
        for (int r = 0; r < logitRows; r++) {
            s.logitRows[r] = n - logitRows + r;
        }
        run(s, tokens, off, n, logitRows);
    }

    /**
     * Runs a batch whose rows may belong to different sequences: row {@code b} is token {@code tokens[b]}
     * at position {@code positions[b]} of {@code caches[b]}, and attends over that cache up to its own
     * position. Rows of one sequence must come in position order, and every position before a row's own
     * must already be in its cache or earlier in this batch. Logits are produced for the rows listed in
     * {@code logitRows[0 .. logitCount)}, in that order.
     *
     * <p>Every row is computed as it would be alone: the result of a row does not depend on the other
     * rows of the batch.
     */
    public void forwardRows(InferenceState s, int[] tokens, KvCache[] caches, int[] positions, int n,
                            int[] logitRows, int logitCount) {
        if (n < 1 || n > s.maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens (1 to " + s.maxBatch + " allowed)");
        }
        if (logitCount < 0 || logitCount > Math.min(n, s.maxLogitRows)) {
            throw new IllegalArgumentException("cannot produce " + logitCount + " logit rows for a batch of " + n);
        }
        for (int b = 0; b < n; b++) {
            KvCache cache = caches[b];
            if (positions[b] < 0 || positions[b] >= cache.contextLength() || cache.contextLength() > s.contextLength()) {
                throw new ContextOverflowException(positions[b] + 1, Math.min(cache.contextLength(), s.contextLength()));
            }
            s.rowCache[b] = cache;
            s.rowPosition[b] = positions[b];
        }
        for (int r = 0; r < logitCount; r++) {
            if (logitRows[r] < 0 || logitRows[r] >= n) {
                throw new IllegalArgumentException("logit row " + logitRows[r] + " is outside the batch of " + n);
            }
            s.logitRows[r] = logitRows[r];
        }
        run(s, tokens, 0, n, logitCount);
    }

    /** The pass itself, once the rows' caches, positions and logit rows are set in {@code s}. */
    private void run(InferenceState s, int[] tokens, int off, int n, int logitCount) {
        int dim = c.dim();
        for (int b = 0; b < n; b++) {
            int token = tokens[off + b];
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0 to " + (c.vocabSize() - 1) + ")");
            }
            w.tokenEmbedding().row(token, s.x, b * dim);
        }
        for (int l = 0; l < c.layers(); l++) {
            attentionBlock(s, l, n);
            feedForwardBlock(s, l, n);
        }
        if (logitCount > 0) {
            for (int r = 0; r < logitCount; r++) {
                rmsNorm(s.x, s.logitRows[r] * dim, w.outputNorm(), s.xb, r * dim, dim);
            }
            mm.apply(w.output(), s.xb, dim, s.logits, c.vocabSize(), logitCount);
        }
    }

    private void attentionBlock(InferenceState s, int l, int n) {
        ModelWeights.Layer lw = w.layer(l);
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        for (int b = 0; b < n; b++) {
            rmsNorm(s.x, b * dim, lw.attnNorm(), s.xb, b * dim, dim);
        }
        mm.apply(lw.wq(), s.q, qDim, lw.wk(), s.k, kvDim, lw.wv(), s.v, vDim, s.xb, dim, n);
        rows.run(s, l, n, RowStep.Phase.POSITIONS);
        attention.run(s, l, n);
        mm.apply(lw.wo(), s.att, qDim, s.proj, dim, n);
        for (int b = 0; b < n; b++) {
            ops.add(s.proj, b * dim, s.x, b * dim, dim);
        }
    }

    /**
     * The per-row work between the products, split over the team by rows once a batch is worth a
     * meeting ({@link ThreadTeam#SPLIT_ROWS}): {@code POSITIONS} after q, k and v (biases, Qwen3's per-head
     * norms, RoPE, the row's keys and values into its cache: rows write different positions), {@code SWIGLU} after
     * gate and up. On two threads, qwen2.5-0.5b's 128-token prompt spent 6% of its pass in work outside
     * the team's steps, most of it here, while the other thread waited. A row's values do not depend on
     * the rows around it: element-wise kernels give the same bits in a vector lane and in the scalar tail
     * (BatchInvarianceTest), so where a share starts does not change them. The step object is reused, so
     * running it allocates nothing.
     */
    private final class RowStep implements ThreadTeam.Task {
        enum Phase { POSITIONS, SWIGLU }

        private InferenceState s;
        private int layer;
        private int batch;
        private Phase phase;

        void run(InferenceState s, int layer, int batch, Phase phase) {
            this.s = s;
            this.layer = layer;
            this.batch = batch;
            this.phase = phase;
            if (batch >= ThreadTeam.SPLIT_ROWS) {
                team.run(this);
            } else {
                run(0, 1);
            }
        }

        @Override
        public void run(int index, int size) {
            int from = ThreadTeam.rangeStart(batch, index, size);
            int to = ThreadTeam.rangeStart(batch, index + 1, size);
            if (phase == Phase.SWIGLU) {
                ops.siluMul(s.gate, s.up, from * c.ffnDim(), (to - from) * c.ffnDim());
                return;
            }
            for (int b = from; b < to; b++) {
                positionRow(s, layer, b, index);
            }
        }
    }

    /** Row {@code b}'s q, k and v made ready for attention, and its keys and values stored; {@code worker}'s scratch. */
    private void positionRow(InferenceState s, int l, int b, int worker) {
        ModelWeights.Layer lw = w.layer(l);
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        if (lw.bq() != null) {
            ops.add(lw.bq(), 0, s.q, b * qDim, qDim);
            ops.add(lw.bk(), 0, s.k, b * kvDim, kvDim);
            ops.add(lw.bv(), 0, s.v, b * vDim, vDim);
        }
        if (lw.qNorm() != null) {
            for (int h = 0; h < c.heads(); h++) {
                int o = b * qDim + h * c.headDim();
                rmsNorm(s.q, o, lw.qNorm(), s.q, o, c.headDim());
            }
            for (int h = 0; h < c.kvHeads(); h++) {
                int o = b * kvDim + h * c.headDim();
                rmsNorm(s.k, o, lw.kNorm(), s.k, o, c.headDim());
            }
        }
        float[] cos = s.cos[worker];
        float[] sin = s.sin[worker];
        setRotation(cos, sin, s.rowPosition[b]);
        for (int h = 0; h < c.heads(); h++) {
            rotate(cos, sin, s.q, b * qDim + h * c.headDim());
        }
        for (int h = 0; h < c.kvHeads(); h++) {
            rotate(cos, sin, s.k, b * kvDim + h * c.headDim());
        }
        s.rowCache[b].store(l, s.rowPosition[b], s.k, b * kvDim, s.v, b * vDim);
    }

    /**
     * Causal attention over the KV cache as one thread-team step. An item is a run of consecutive batch
     * rows of the same cache (at most {@link InferenceState#ROWS_PER_RUN}), one KV head, and a run of the
     * query heads that share it (GQA): every key and value of that KV head is decoded from the cache once
     * for all of the item's rows and heads. Head runs are whole groups when the batch gives every thread an
     * item, and are split only to give each thread one (one token, fewer KV heads than threads): a split
     * group's cache is read once per run, and asking two items per thread (qwen2.5's two KV heads on two
     * threads: each thread read both heads' caches) made generation after 2048 positions 10-20% slower.
     * Items go to threads in turn, not in ranges: a prompt's later rows see more positions, and turns
     * spread them evenly. The step object is reused, so running it allocates nothing.
     */
    private final class AttentionStep implements ThreadTeam.Task {
        private InferenceState s;
        private int layer;
        private int rowRuns;
        private int runsPerGroup;

        void run(InferenceState s, int layer, int batch) {
            this.s = s;
            this.layer = layer;
            // Runs of rows: a new one where the cache changes or the run is full.
            int runs = 0;
            for (int b = 0; b < batch; b++) {
                if (b == 0 || s.rowCache[b] != s.rowCache[b - 1] || b - s.runStart[runs - 1] == InferenceState.ROWS_PER_RUN) {
                    s.runStart[runs++] = b;
                }
            }
            s.runStart[runs] = batch;
            this.rowRuns = runs;
            int group = c.heads() / c.kvHeads();
            int headRuns = 1;
            while (headRuns < group && runs * c.kvHeads() * headRuns < team.size()) {
                headRuns++;
            }
            this.runsPerGroup = headRuns;
            team.run(this);
        }

        @Override
        public void run(int index, int size) {
            int group = c.heads() / c.kvHeads();
            int perRun = c.kvHeads() * runsPerGroup;
            for (int item = index; item < rowRuns * perRun; item += size) {
                int rowRun = item / perRun;
                int kvHead = item % perRun / runsPerGroup;
                int run = item % runsPerGroup;
                int first = kvHead * group + ThreadTeam.rangeStart(group, run, runsPerGroup);
                int last = kvHead * group + ThreadTeam.rangeStart(group, run + 1, runsPerGroup);
                attendHeads(s, layer, index, s.runStart[rowRun], s.runStart[rowRun + 1], kvHead, first, last);
            }
        }
    }

    /**
     * Attention of query heads {@code first .. last} (all reading KV head {@code kvHead}) of batch rows
     * {@code from .. to} (one cache) over every position of the cache up to each row's own, into {@code att}.
     *
     * <p>Online softmax over blocks of {@link KvCache#BLOCK} positions, the blocks aligned to position 0: a
     * block's keys (transposed) and values are decoded once into float scratch for all rows and heads of
     * the item; the scores of all the rows and heads that see the whole block come from one call that
     * shares each vector of keys among four queries (a row seeing part of it, its own call: for qwen3's
     * two heads per group, a row alone left half of each four-query tile a repeat); per row and head, the
     * block's scores raise the running maximum m, the sums so far are
     * scaled by e^(m_old − m), and the block's e^(score − m) are added to the sum l and, times each value,
     * to the output; the output is divided by l at the end. A row's result depends on its own query and
     * the cache alone, computed in the same order whatever rows and heads share its item: a token gives
     * the same bits batched or alone (BatchInvarianceTest, ForwardInvarianceTest).
     */
    private void attendHeads(InferenceState s, int layer, int worker, int from, int to, int kvHead, int first, int last) {
        KvCache kv = s.rowCache[from];
        float[] blockKeys = s.blockKeys[worker];
        float[] blockValues = s.blockValues[worker];
        float[] max = s.runMax[worker];
        float[] sum = s.runSum[worker];
        int headDim = c.headDim();
        int valueDim = c.valueDim();
        int heads = last - first;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int positions = 0;
        for (int b = from; b < to; b++) {
            positions = Math.max(positions, s.rowPosition[b] + 1);
            for (int h = first; h < last; h++) {
                int o = b * c.qDim() + h * valueDim;
                java.util.Arrays.fill(s.att, o, o + valueDim, 0f);
                max[(b - from) * heads + h - first] = Float.NEGATIVE_INFINITY;
                sum[(b - from) * heads + h - first] = 0f;
            }
        }
        for (int k0 = 0; k0 < positions; k0 += KvCache.BLOCK) {
            int n = Math.min(KvCache.BLOCK, positions - k0);
            kv.keyBlock(layer, k0, n, kvHead, blockKeys);
            kv.valueBlock(layer, k0, n, kvHead, blockValues);
            // Rows whose own position falls inside the block see part of it (the causal mask), one call
            // each; the rows after them (rows come in position order) see all of it, in one call together.
            int full = from;
            while (full < to && s.rowPosition[full] + 1 - k0 < n) {
                int count = s.rowPosition[full] + 1 - k0;
                if (count > 0) {
                    attendBlock(s, worker, full, full + 1, from, first, last, count, scale);
                }
                full++;
            }
            if (full < to) {
                attendBlock(s, worker, full, to, from, first, last, n, scale);
            }
        }
        for (int b = from; b < to; b++) {
            for (int h = first; h < last; h++) {
                ops.scale(1f / sum[(b - from) * heads + h - first], s.att, b * c.qDim() + h * valueDim, valueDim);
            }
        }
    }

    /**
     * One block of {@link #attendHeads}, decoded in the worker's scratch, for rows {@code rowFrom .. rowTo}
     * (of the item starting at row {@code from}) and heads {@code first .. last}, each query seeing the
     * block's first {@code count} positions: the scores of all the queries (rows × heads) at once, scaled;
     * per query the online softmax's step; then the weighted sums of all of them at once.
     */
    private void attendBlock(InferenceState s, int worker, int rowFrom, int rowTo, int from, int first, int last,
                             int count, float scale) {
        float[] p = s.blockScores[worker];
        float[] max = s.runMax[worker];
        float[] sum = s.runSum[worker];
        int[] qOff = s.queryOffsets[worker];
        int[] outOff = s.outputOffsets[worker];
        int headDim = c.headDim();
        int valueDim = c.valueDim();
        int heads = last - first;
        int queries = 0;
        for (int b = rowFrom; b < rowTo; b++) {
            for (int h = first; h < last; h++) {
                qOff[queries] = b * c.qDim() + h * headDim;
                outOff[queries] = b * c.qDim() + h * valueDim;
                queries++;
            }
        }
        ops.scores(s.blockKeys[worker], 0, KvCache.BLOCK, headDim, s.q, qOff, queries, scale, p, 0);
        for (int i = 0; i < queries; i++) {
            int po = i * KvCache.BLOCK;
            int m = (rowFrom - from) * heads + i;   // the query's row and head in the item's softmax state
            float newMax = Math.max(max[m], ops.max(p, po, count));
            if (newMax != max[m] && sum[m] != 0f) {
                float correction = ops.exp(max[m] - newMax);
                ops.scale(correction, s.att, outOff[i], valueDim);
                sum[m] *= correction;
            }
            max[m] = newMax;
            sum[m] += ops.expSum(p, po, count, newMax);
        }
        ops.weightedSums(p, 0, KvCache.BLOCK, count, queries, s.blockValues[worker], 0, valueDim, s.att, outOff, valueDim);
    }

    private void feedForwardBlock(InferenceState s, int l, int n) {
        ModelWeights.Layer lw = w.layer(l);
        int dim = c.dim();
        int ffn = c.ffnDim();
        for (int b = 0; b < n; b++) {
            rmsNorm(s.x, b * dim, lw.ffnNorm(), s.xb, b * dim, dim);
        }
        mm.apply(lw.gate(), s.gate, ffn, lw.up(), s.up, ffn, s.xb, dim, n);
        rows.run(s, l, n, RowStep.Phase.SWIGLU);
        mm.apply(lw.down(), s.gate, ffn, s.proj, dim, n);
        for (int b = 0; b < n; b++) {
            ops.add(s.proj, b * dim, s.x, b * dim, dim);
        }
    }

    /** out = x / sqrt(mean(x²) + eps) · weight, over {@code n} values. */
    private void rmsNorm(float[] x, int xOff, float[] weight, float[] out, int outOff, int n) {
        float mean = ops.sumOfSquares(x, xOff, n) / n;
        float scale = (float) (1.0 / Math.sqrt(mean + c.rmsEps()));
        ops.mulScaled(x, xOff, weight, 0, scale, out, outOff, n);
    }

    /**
     * Math, not StrictMath: StrictMath.sin/cos allocate during argument reduction, and decoding must not.
     * HotSpot's interpreter and compilers use the same sin/cos stubs (JitInvarianceTest checks the bits).
     */
    private void setRotation(float[] cos, float[] sin, int position) {
        for (int i = 0; i < ropeFrequencies.length; i++) {
            double theta = position * ropeFrequencies[i];
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
    }

    /** Rotates the first ropeDim values of the head at {@code off}; the rest pass through. */
    private void rotate(float[] cos, float[] sin, float[] v, int off) {
        int half = c.ropeDim() / 2;
        boolean neox = c.architecture().rope() == RopeStyle.NEOX;
        for (int i = 0; i < half; i++) {
            int a = neox ? off + i : off + 2 * i;
            int b = neox ? off + i + half : off + 2 * i + 1;
            float x0 = v[a];
            float x1 = v[b];
            v[a] = x0 * cos[i] - x1 * sin[i];
            v[b] = x0 * sin[i] + x1 * cos[i];
        }
    }
}
