package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabd.engine.GenerationRequest;
import dev.nabd.sampling.SamplingParams;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generation parameters shared by chat and text completions, read from a request with OpenAI's
 * names, ranges and defaults (temperature 1, top_p 1, no top-k or min-p; a random seed when none is
 * given), plus the extensions llama.cpp and vLLM accept ({@code top_k}, {@code min_p},
 * {@code repetition_penalty}, {@code ignore_eos}).
 *
 * @param maxTokens -1 for no limit but the context
 * @param n choices per prompt
 * @param topLogprobs -1 for no log-probabilities
 */
record GenerationParams(int maxTokens, SamplingParams sampling, List<String> stop, Map<Integer, Float> logitBias,
                        int n, int topLogprobs, boolean ignoreEos, boolean stream, boolean includeUsage) {

    private static final SecureRandom SEEDS = new SecureRandom();
    static final int MAX_STOP = 16;
    static final int MAX_N = 16;

    /**
     * @param defaultMaxTokens the endpoint's default ({@code -1}: until the context ends)
     * @param chat whether {@code logprobs} is a boolean (chat) or a count (text completions)
     */
    static GenerationParams read(Fields f, int defaultMaxTokens, boolean chat) {
        long maxTokens = f.integer("max_tokens", defaultMaxTokens, 1, Integer.MAX_VALUE);
        if (f.has("max_completion_tokens")) {
            maxTokens = f.integer("max_completion_tokens", -1, 1, Integer.MAX_VALUE);
        }
        double temperature = f.number("temperature", 1.0, 0, 2);
        double topP = f.number("top_p", 1.0, 0, 1);
        if (topP == 0) {
            // Nothing but the most likely token survives a nucleus of 0: that is greedy decoding.
            temperature = 0;
            topP = 1;
        }
        long topK = f.integer("top_k", 0, -1, Integer.MAX_VALUE);
        double minP = f.number("min_p", 0, 0, 1);
        double presence = f.number("presence_penalty", 0, -2, 2);
        double frequency = f.number("frequency_penalty", 0, -2, 2);
        double repetition = f.number("repetition_penalty", 1, 0.01, 10);
        long seed = f.has("seed") ? f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : SEEDS.nextLong();
        SamplingParams sampling = new SamplingParams((float) temperature, (int) Math.max(0, topK), (float) topP,
                (float) minP, (float) repetition, (float) presence, (float) frequency, 64, seed);
        List<String> stop = f.strings("stop", MAX_STOP);
        int n = (int) f.integer("n", 1, 1, MAX_N);
        int topLogprobs = -1;
        if (chat) {
            if (f.bool("logprobs", false)) {
                topLogprobs = (int) f.integer("top_logprobs", 0, 0, GenerationRequest.MAX_TOP_LOGPROBS);
            } else if (f.has("top_logprobs")) {
                throw ApiException.invalid("top_logprobs needs logprobs set to true", "top_logprobs");
            }
        } else if (f.has("logprobs")) {
            topLogprobs = (int) f.integer("logprobs", 0, 0, GenerationRequest.MAX_TOP_LOGPROBS);
        }
        Map<Integer, Float> bias = logitBias(f.node("logit_bias"));
        boolean stream = f.bool("stream", false);
        boolean includeUsage = false;
        JsonNode options = f.node("stream_options");
        if (options != null) {
            if (!stream) {
                throw ApiException.invalid("stream_options is only allowed when stream is true", "stream_options");
            }
            includeUsage = new Fields(options).bool("include_usage", false);
        }
        f.string("user", null);
        return new GenerationParams((int) maxTokens, sampling, stop, bias, n, topLogprobs, f.bool("ignore_eos", false),
                stream, includeUsage);
    }

    private static Map<Integer, Float> logitBias(JsonNode node) {
        Map<Integer, Float> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            throw Fields.wrongType("logit_bias", "an object mapping token ids to numbers");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw ApiException.invalid("logit_bias keys must be token ids, not '" + e.getKey() + "'", "logit_bias");
            }
            if (!e.getValue().isNumber() || Math.abs(e.getValue().asDouble()) > 100) {
                throw ApiException.invalid("logit_bias values must be numbers from -100 to 100", "logit_bias");
            }
            out.put(id, (float) e.getValue().asDouble());
        }
        return out;
    }

    /** The engine request for one prompt and choice {@code index}: choice i samples with seed + i. */
    GenerationRequest request(int[] prompt, int index) {
        SamplingParams s = sampling;
        if (index > 0) {
            s = new SamplingParams(s.temperature(), s.topK(), s.topP(), s.minP(), s.repeatPenalty(), s.presencePenalty(),
                    s.frequencyPenalty(), s.penaltyWindow(), s.seed() + index);
        }
        return new GenerationRequest(prompt, maxTokens, s, stop, logitBias, topLogprobs, ignoreEos);
    }
}
