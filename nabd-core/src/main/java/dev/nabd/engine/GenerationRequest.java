package dev.nabd.engine;

import dev.nabd.sampling.SamplingParams;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request to an {@link Engine}: a prompt in token ids and how to continue it.
 *
 * @param prompt the prompt's token ids (at least one)
 * @param maxTokens most tokens to generate; -1 means until the context is full
 * @param sampling how tokens are chosen, including the seed
 * @param stop strings that end the generation when they appear in the text; they are not part of it
 * @param logitBias added to the logits of these token ids before sampling (-100 bans a token)
 * @param topLogprobs -1 for no log-probabilities; 0 or more for the generated token's and that many
 *                    alternatives'
 * @param ignoreEos keep generating past end-of-generation tokens (benchmarks)
 */
public record GenerationRequest(int[] prompt, int maxTokens, SamplingParams sampling, List<String> stop,
                                Map<Integer, Float> logitBias, int topLogprobs, boolean ignoreEos) {

    /** Longest list of alternatives a request may ask for, as the OpenAI API allows. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        stop = List.copyOf(stop == null ? List.of() : stop);
        logitBias = Map.copyOf(logitBias == null ? Map.of() : logitBias);
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (maxTokens < -1) {
            throw new IllegalArgumentException("max tokens must be -1 (no limit) or more, not " + maxTokens);
        }
        if (topLogprobs < -1 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("top logprobs must be 0 to " + MAX_TOP_LOGPROBS + ", not " + topLogprobs);
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
    }

    /** A request with no stop strings, biases or log-probabilities. */
    public static GenerationRequest of(int[] prompt, int maxTokens, SamplingParams sampling) {
        return new GenerationRequest(prompt, maxTokens, sampling, List.of(), Map.of(), -1, false);
    }
}
