package dev.nabd.engine;

import dev.nabd.sampling.Sampler;
import dev.nabd.tokenizer.StreamingDecoder;

/**
 * The running state of one request inside the engine: which slot it occupies, how far its prompt has
 * been evaluated, the token waiting to be evaluated next, and its own sampler (so its random draws do not
 * depend on what else runs beside it).
 */
final class Sequence {
    final GenerationRequest request;
    final Generation handle;
    final long submittedNanos;
    Slot slot;
    Sampler sampler;
    StreamingDecoder decoder;
    StopMatcher stops;
    /** Prompt tokens whose keys and values are in the slot (reused or computed). */
    int promptDone;
    int cachedTokens;
    /** The last sampled token, evaluated in the next step; -1 while the prompt is being evaluated. */
    int nextToken = -1;
    int generated;
    /** Row of this step's logits that belongs to this sequence, or -1. */
    int logitIndex = -1;
    long promptStartNanos;
    long firstTokenNanos;
    long lastTokenNanos;

    Sequence(GenerationRequest request, Generation handle, long submittedNanos) {
        this.request = request;
        this.handle = handle;
        this.submittedNanos = submittedNanos;
    }

    boolean inPrompt() {
        return promptDone < request.prompt().length;
    }

    /** Position of the next token to evaluate. */
    int position() {
        return inPrompt() ? promptDone : request.prompt().length + generated - 1;
    }
}
