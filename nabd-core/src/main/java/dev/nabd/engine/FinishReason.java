package dev.nabd.engine;

/** Why a generation ended, named as the OpenAI API names it. */
public enum FinishReason {
    /** The model produced an end-of-generation token (or a stop condition matched). */
    STOP,
    /** The token limit or the end of the context was reached. */
    LENGTH,
    /** The caller cancelled the request (a client that went away). */
    CANCELLED;

    /** The lower-case name used on the wire ({@code "stop"}, {@code "length"}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
