package dev.nabd.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks tokens from logits: penalties, then greedy or top-k → top-p → min-p → temperature → a draw
 * from a seeded generator (llama.cpp's order). All buffers are sized to the vocabulary once; sampling
 * a token does not allocate.
 *
 * <p>The draw walks the candidates from the most likely down (among equal logits, the lower id first), adding
 * their probabilities until the sum passes a uniform random number. Without top-k, nothing sorts the whole
 * vocabulary: min-p is a threshold, and the end of the top-p nucleus, or the token of a draw from all tokens,
 * is found by selecting on probability mass, so that only the nucleus, or a few tokens around the draw, get
 * sorted: a token costs O(vocabulary) plus the sort of the nucleus. Each probability is computed as after a
 * full sort, but the normalising sum and the running sums of a selection are added up in another order, so
 * the token is the one a full sort picks unless the random number falls within rounding error of the boundary
 * between two tokens (for Qwen's 151,936 tokens, a chance of the order of 1e-11 per token or less).
 */
public final class Sampler {
    /** Candidates a mass selection leaves unpartitioned, to be sorted. */
    private static final int SELECTION_WINDOW = 32;
    /** Values in [0, 1] are bucketed by their float bits without the low 20: eight buckets per power of two. */
    private static final int BUCKET_SHIFT = 20;

    private final SamplingParams p;
    private final SplittableRandom random;
    private final int vocab;
    private final long[] order;     // candidates packed as (sortable logit bits << 32 | id), see pack()
    private final float[] probs;    // probabilities by rank: probs[i] belongs to order[i]
    private final float[] byId;     // exp(logit - max), then probabilities, by token id
    private final double[] bucketMass = new double[(Float.floatToIntBits(1f) >>> BUCKET_SHIFT) + 1];
    private final int[] history;    // ring buffer of the last penaltyWindow tokens
    private final int[] counts;     // occurrences in the window, per token id
    private int historySize;
    private int historyStart;
    private double massAbove;       // result of gather()
    private int windowStart;        // results of selectByMass()
    private double massBefore;

    /** A sampler for one sequence, seeded by {@code params.seed()}, for logits of {@code vocabSize} tokens. */
    public Sampler(SamplingParams params, int vocabSize) {
        this.p = params;
        this.random = new SplittableRandom(params.seed());
        this.vocab = vocabSize;
        this.order = new long[vocabSize];
        this.probs = new float[vocabSize];
        this.byId = new float[vocabSize];
        this.history = new int[Math.max(1, params.penaltyWindow())];
        this.counts = new int[vocabSize];
    }

    /** The parameters this sampler was made with. */
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
        double r = random.nextDouble();
        int n = -1;
        if (p.topK() > 0 && p.topK() < vocab) {
            n = topK(logits, off);
            // Probabilities at temperature 1 for top-p and min-p, as llama.cpp applies them before temperature.
            softmax(n, 1f);
            n = minP(topP(n));
        } else {
            float max = max(logits, off);
            // NaN or infinite logits, or an infinite temperature, make NaN probabilities: those take the full sort.
            if (Float.isFinite(max) && p.temperature() < Float.POSITIVE_INFINITY) {
                if (p.topP() >= 1f && p.minP() <= 0f) {
                    int token = drawFromAll(logits, off, max, r);
                    if (token >= 0) {
                        return token;
                    }
                } else {
                    n = nucleus(logits, off, max);
                }
            }
            if (n < 0) {
                // Also when sums added in another order fell short of a cut by rounding (rare).
                for (int i = 0; i < vocab; i++) {
                    order[i] = pack(logits[off + i], i);
                }
                sortDescending(0, vocab);
                softmax(vocab, 1f);
                n = minP(topP(vocab));
            }
        }
        softmax(n, p.temperature());
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

    /** Fills {@code order} with the top-k candidates, most likely first; returns k. */
    private int topK(float[] logits, int off) {
        int k = p.topK();
        // A min-heap of the k best seen so far in order[0..k): O(vocab · log k) instead of a full sort.
        for (int i = 0; i < k; i++) {
            order[i] = pack(logits[off + i], i);
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(i, k);
        }
        long least = order[0];  // in a register: nearly every candidate loses to it
        for (int i = k; i < vocab; i++) {
            long v = pack(logits[off + i], i);
            if (v > least) {
                order[0] = v;
                siftDown(0, k);
                least = order[0];
            }
        }
        sortDescending(0, k);
        return k;
    }

    /** The largest logit, NaN if any is NaN. */
    private float max(float[] logits, int off) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        return max;
    }

    /**
     * Sorts the top-p nucleus, cut by min-p, into order[0..n) and returns n: the cut {@code minP(topP(vocab))}
     * makes after a full sort. Returns -1 if rounding put the cut beyond the candidates gathered.
     */
    private int nucleus(float[] logits, int off, float max) {
        double sum = exponentials(logits, off, max, 1f);
        int n;
        if (p.minP() > 0f) {
            // Min-p keeps a prefix of the ranking that a threshold finds with no order at all. The best has exp(0) = 1.
            float threshold = (float) (1 / sum) * p.minP();
            n = 0;
            for (int i = 0; i < vocab; i++) {
                float prob = (float) (byId[i] / sum);
                byId[i] = prob;
                if (prob >= threshold) {
                    order[n++] = pack(logits[off + i], i);
                }
            }
            if (p.topP() >= 1f) {
                sortDescending(0, n);
                return n;
            }
        } else {
            n = gather(logits, off, sum, p.topP(), true);
        }
        int sorted = selectByMass(n, p.topP(), 0);
        sortDescending(0, sorted);
        // The cut itself is made on the sorted prefix, adding in rank order as topP() does.
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            if (i == sorted) {
                // The selection's sums, added in another order, ended just short of the cut (rare).
                sortDescending(sorted, n);
                sorted = n;
            }
            cumulative += byId[id(order[i])];
            if (cumulative >= p.topP()) {
                return i + 1;
            }
        }
        // Short of top-p: min-p cut first, or nothing reaches it, else the gathering left out part of the nucleus.
        return p.minP() > 0f || n == vocab ? n : -1;
    }

    /** A draw from all tokens, as the walk down a full sort makes it; -1 if rounding left it unfound. */
    private int drawFromAll(float[] logits, int off, float max, double r) {
        double sum = exponentials(logits, off, max, p.temperature());
        int m = gather(logits, off, sum, r, false);
        if (r < massAbove) {
            return -1;  // the gathering's guess, summed another way, missed by rounding
        }
        int end = selectByMass(m, r, massAbove);
        int start = windowStart;
        sortDescending(start, end);
        double cumulative = massBefore;
        for (int i = start; i < m; i++) {
            if (i == end) {
                sortDescending(end, m);
                end = m;
            }
            cumulative += byId[id(order[i])];
            if (r < cumulative) {
                return id(order[i]);
            }
        }
        return -1;
    }

    /**
     * Sets {@code byId[i] = exp((logit_i - max) / temperature)}, computed as softmax() does, and the mass of each
     * bucket of those values; returns their sum, added in id order where softmax() adds in rank order.
     */
    private double exponentials(float[] logits, int off, float max, float temperature) {
        Arrays.fill(bucketMass, 0);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            float e = (float) Math.exp((logits[off + i] - max) / temperature);
            byId[i] = e;
            sum += e;
            bucketMass[Float.floatToRawIntBits(e) >>> BUCKET_SHIFT] += e;
        }
        return sum;
    }

    /**
     * Packs into order[0..m) the candidates of the bucket in which the mass, summed from the most likely bucket
     * down, passes target, and those of the buckets above if keepAbove, else their mass into massAbove; sets their
     * byId to probabilities; returns m. Buckets rank as logits do, so this is a prefix of the ranking, or a
     * slice of it after massAbove, found in one pass: a first selection that leaves out the long tail.
     */
    private int gather(float[] logits, int off, double sum, double target, boolean keepAbove) {
        double goal = target * sum;
        double mass = 0;
        int cut = bucketMass.length - 1;
        for (; cut > 0; cut--) {
            mass += bucketMass[cut];
            if (goal < mass) {
                break;
            }
        }
        double above = 0;
        int m = 0;
        for (int i = 0; i < vocab; i++) {
            float e = byId[i];
            int bucket = Float.floatToRawIntBits(e) >>> BUCKET_SHIFT;
            if (bucket >= cut) {
                float prob = (float) (e / sum);
                if (bucket == cut || keepAbove) {
                    byId[i] = prob;
                    order[m++] = pack(logits[off + i], i);
                } else {
                    above += prob;
                }
            }
        }
        massAbove = above;
        return m;
    }

    /**
     * Quickselect on probability mass: finds where the running sum of {@code byId} over order[0..n), from the most
     * likely down and starting at before, first exceeds target, without sorting. Afterwards order[0..windowStart)
     * hold the most likely candidates in no particular order, the sum up to them is massBefore, and the sum
     * passes target among order[windowStart..end), the next few; returns end.
     */
    private int selectByMass(int n, double target, double before) {
        int lo = 0;
        int hi = n;
        // Enough for any reasonable input; a run of bad pivots only leaves a bigger window to sort.
        for (int round = 0; hi - lo > SELECTION_WINDOW && round < 64; round++) {
            long a = order[lo];
            long b = order[(lo + hi) >>> 1];
            long c = order[hi - 1];
            // Packed values are distinct, so the median of three leaves at least one candidate on either side.
            long pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int mid = partition(lo, hi, pivot);
            double upTo = before;
            for (int i = lo; i < mid; i++) {
                upTo += byId[id(order[i])];
            }
            if (target < upTo) {
                hi = mid;
            } else {
                before = upTo;
                lo = mid;
            }
        }
        windowStart = lo;
        massBefore = before;
        return hi;
    }

    /** Moves the candidates of order[lo..hi) above pivot, one of them, to the front; returns where they end. */
    private int partition(int lo, int hi, long pivot) {
        int i = lo;
        int j = hi - 1;
        while (true) {
            // Neither scan leaves the range: the pivot stops the first, a larger candidate the second.
            while (order[i] > pivot) {
                i++;
            }
            while (order[j] <= pivot) {
                j--;
            }
            if (i > j) {
                return i;
            }
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
            i++;
            j--;
        }
    }

    /** Sorts order[from..to) most likely first (among equal logits, the lower id first). */
    private void sortDescending(int from, int to) {
        Arrays.sort(order, from, to);
        for (int i = from, j = to - 1; i < j; i++, j--) {
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
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
