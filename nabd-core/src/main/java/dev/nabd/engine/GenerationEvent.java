package dev.nabd.engine;

/** What a running request reports, in order: tokens, then exactly one {@link Done} or {@link Failed}. */
public sealed interface GenerationEvent {

    /**
     * A generated token.
     *
     * @param token its id
     * @param text the text it completes (whole characters; held back while it may be the start of a
     *             stop string, so possibly empty)
     * @param logprobs its log-probability and the alternatives, when the request asked for them, else null
     */
    record Token(int token, String text, TokenLogprobs logprobs) implements GenerationEvent {
    }

    /**
     * The end of a request.
     *
     * @param reason why it ended
     * @param text text released at the end (held back at a stop-string prefix, or an unfinished
     *             character); possibly empty
     * @param usage token counts
     * @param timings prompt and generation speed of this request
     */
    record Done(FinishReason reason, String text, Usage usage, Timings timings) implements GenerationEvent {
    }

    /** The request could not be completed (an internal failure); other requests go on. */
    record Failed(String message) implements GenerationEvent {
    }
}
