package dev.nabd.engine;

import java.util.List;

/**
 * A finished request, gathered from its events by {@link Generation#await()}.
 *
 * @param text the generated text (without a stop string or what followed it)
 * @param tokens the generated token ids
 * @param logprobs per generated token, when asked for; else empty
 * @param finishReason why it ended
 * @param usage token counts
 * @param timings prompt and generation speed
 */
public record Completion(String text, int[] tokens, List<TokenLogprobs> logprobs, FinishReason finishReason,
                         Usage usage, Timings timings) {
}
