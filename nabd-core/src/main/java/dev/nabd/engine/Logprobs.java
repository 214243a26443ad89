package dev.nabd.engine;

/** Log-probabilities from a row of logits: log-softmax, computed in double for a stable sum. */
final class Logprobs {
    private Logprobs() {
    }

    /** The log-probability of {@code token} and the {@code top} most likely tokens of {@code logits[0 .. vocab)}. */
    static TokenLogprobs of(float[] logits, int vocab, int token, int top) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[i] - max);
        }
        double logZ = max + Math.log(sum);
        int k = Math.min(top, vocab);
        int[] ids = new int[k];
        float[] values = new float[k];
        int filled = 0;
        // Insertion into a short sorted list: k is at most 20, the vocabulary is scanned once.
        for (int i = 0; i < vocab; i++) {
            float v = logits[i];
            if (filled == k && (k == 0 || v <= logits[ids[k - 1]])) {
                continue;
            }
            int at = Math.min(filled, k - 1);
            while (at > 0 && logits[ids[at - 1]] < v) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
            filled = Math.min(filled + 1, k);
        }
        for (int i = 0; i < k; i++) {
            values[i] = (float) (logits[ids[i]] - logZ);
        }
        return new TokenLogprobs(token, (float) (logits[token] - logZ), ids, values);
    }
}
