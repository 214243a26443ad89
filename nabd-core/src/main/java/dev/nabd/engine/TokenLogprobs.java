package dev.nabd.engine;

/**
 * The log-probability of a generated token under the model's distribution (log-softmax of the raw
 * logits, before penalties, biases and temperature), and the most likely alternatives at that step.
 *
 * @param token the generated token
 * @param logprob its log-probability
 * @param topTokens the most likely tokens, most likely first
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprobs(int token, float logprob, int[] topTokens, float[] topLogprobs) {
}
