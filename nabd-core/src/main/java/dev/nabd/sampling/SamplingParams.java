package dev.nabd.sampling;

/**
 * How the next token is chosen from the logits. Defaults follow llama.cpp's.
 *
 * @param temperature 0 or less picks the most likely token (greedy)
 * @param topK keep only the k most likely tokens (0 = all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1 = all)
 * @param minP drop tokens less likely than minP × the most likely one (0 = none)
 * @param repeatPenalty divide positive (multiply negative) logits of recently seen tokens (1 = off)
 * @param presencePenalty subtracted once from the logit of every recently seen token (0 = off)
 * @param frequencyPenalty subtracted per occurrence of a recently seen token (0 = off)
 * @param penaltyWindow how many of the last tokens the penalties look at
 * @param seed the random seed; the same seed and input give the same output
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty,
                             float presencePenalty, float frequencyPenalty, int penaltyWindow, long seed) {

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplingParams defaults(long seed) {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, seed);
    }

    /** Always the most likely token. */
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, 0);
    }

    public SamplingParams {
        if (Float.isNaN(temperature) || topK < 0 || !(topP > 0 && topP <= 1) || !(minP >= 0 && minP <= 1)
                || !(repeatPenalty > 0) || Float.isNaN(presencePenalty) || Float.isNaN(frequencyPenalty) || penaltyWindow < 0) {
            throw new IllegalArgumentException("invalid sampling parameters: temperature " + temperature + ", top-k " + topK
                    + " (≥ 0), top-p " + topP + " (0 < p ≤ 1), min-p " + minP + " (0 to 1), repeat penalty " + repeatPenalty + " (> 0)");
        }
    }
}
