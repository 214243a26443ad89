package dev.nabd.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks tokens from logits: penalties, then greedy or top-k → top-p → min-p → temperature → a draw
 * from a seeded generator (llama.cpp's order). All buffers are sized to the vocabulary once; sampling
 * a token does not allocate.
 */
public final class Sampler {
    private final SamplingParams p;
    private final SplittableRandom random;
    private final int vocab;
    private final long[] order;     // candidates packed as (sortable logit bits << 32 | id), see pack()
    private final float[] probs;
    private final int[] history;    // ring buffer of the last penaltyWindow tokens
    private final int[] counts;     // occurrences in the window, per token id
    private int historySize;
    private int historyStart;

    public Sampler(SamplingParams params, int vocabSize) {
        this.p = params;
        this.random = new SplittableRandom(params.seed());
        this.vocab = vocabSize;
        this.order = new long[vocabSize];
        this.probs = new float[vocabSize];
        this.history = new int[Math.max(1, params.penaltyWindow())];
        this.counts = new int[vocabSize];
    }

    public SamplingParams params() {
        return p;
    }

    /** Records a token of the context (prompt or generated) for the penalties. */
    public void accept(int token) {
        if (p.penaltyWindow() == 0 || token < 0 || token >= vocab) {
            return;
        }
        if (historySize == history.length) {
            counts[history[historyStart]]--;
            history[historyStart] = token;
            historyStart = (historyStart + 1) % history.length;
        } else {
            history[(historyStart + historySize) % history.length] = token;
            historySize++;
        }
        counts[token]++;
    }

    /** Chooses the next token from {@code logits[off .. off+vocab)}; the logits are modified. */
    public int sample(float[] logits, int off) {
        applyPenalties(logits, off);
        if (p.temperature() <= 0f) {
            return argmax(logits, off, vocab);
        }
        int n = candidates(logits, off);
        // Probabilities at temperature 1 for top-p and min-p, as llama.cpp applies them before temperature.
        softmax(n, 1f);
        n = topP(n);
        n = minP(n);
        softmax(n, p.temperature());
        double r = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (r < cumulative) {
                return id(order[i]);
            }
        }
        return id(order[n - 1]);
    }

    /** Index of the largest value, the lowest index on ties. */
    public static int argmax(float[] v, int off, int n) {
        int best = 0;
        float max = v[off];
        for (int i = 1; i < n; i++) {
            if (v[off + i] > max) {
                max = v[off + i];
                best = i;
            }
        }
        return best;
    }

    private void applyPenalties(float[] logits, int off) {
        if (historySize == 0 || (p.repeatPenalty() == 1f && p.presencePenalty() == 0f && p.frequencyPenalty() == 0f)) {
            return;
        }
        for (int i = 0; i < historySize; i++) {
            int t = history[(historyStart + i) % history.length];
            int c = counts[t];
            if (c <= 0) {
                continue;
            }
            // Each distinct token once: mark it done by negating its count, restored below.
            counts[t] = -c;
            float l = logits[off + t];
            l = l > 0 ? l / p.repeatPenalty() : l * p.repeatPenalty();
            l -= c * p.frequencyPenalty() + p.presencePenalty();
            logits[off + t] = l;
        }
        for (int i = 0; i < historySize; i++) {
            int t = history[(historyStart + i) % history.length];
            counts[t] = Math.abs(counts[t]);
        }
    }

    /** Fills {@code order} with the top-k candidates (all when k = 0), most likely first; returns their count. */
    private int candidates(float[] logits, int off) {
        int k = p.topK() == 0 ? vocab : Math.min(p.topK(), vocab);
        if (k == vocab) {
            for (int i = 0; i < vocab; i++) {
                order[i] = pack(logits[off + i], i);
            }
        } else {
            // A min-heap of the k best seen so far in order[0..k): O(vocab · log k) instead of a full sort.
            for (int i = 0; i < k; i++) {
                order[i] = pack(logits[off + i], i);
            }
            for (int i = k / 2 - 1; i >= 0; i--) {
                siftDown(i, k);
            }
            for (int i = k; i < vocab; i++) {
                long v = pack(logits[off + i], i);
                if (v > order[0]) {
                    order[0] = v;
                    siftDown(0, k);
                }
            }
        }
        Arrays.sort(order, 0, k);
        // Sorted ascending: reverse so the best comes first (and, among equal logits, the lower id).
        for (int i = 0, j = k - 1; i < j; i++, j--) {
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return k;
    }

    private void siftDown(int i, int size) {
        while (true) {
            int smallest = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && order[l] < order[smallest]) {
                smallest = l;
            }
            if (r < size && order[r] < order[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            long t = order[i];
            order[i] = order[smallest];
            order[smallest] = t;
            i = smallest;
        }
    }

    private void softmax(int n, float temperature) {
        float max = logit(order[0]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp((logit(order[i]) - max) / temperature);
            probs[i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            probs[i] = (float) (probs[i] / sum);
        }
    }

    private int topP(int n) {
        if (p.topP() >= 1f) {
            return n;
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= p.topP()) {
                return i + 1;
            }
        }
        return n;
    }

    private int minP(int n) {
        if (p.minP() <= 0f) {
            return n;
        }
        float threshold = probs[0] * p.minP();
        int kept = 1;
        while (kept < n && probs[kept] >= threshold) {
            kept++;
        }
        return kept;
    }

    /**
     * Packs a logit and a token id into one long whose natural order is the logit's order, and for equal
     * logits the reverse of the id's, so that sorting primitives sorts candidates without boxing.
     */
    private static long pack(float logit, int id) {
        int bits = Float.floatToIntBits(logit);
        int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ((long) sortable << 32) | (0xffffffffL & ~id);
    }

    private static int id(long packed) {
        return ~(int) packed;
    }

    private static float logit(long packed) {
        int sortable = (int) (packed >> 32);
        int bits = sortable >= 0 ? sortable : sortable ^ 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }
}
