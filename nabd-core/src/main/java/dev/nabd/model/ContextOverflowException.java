package dev.nabd.model;

/** Tokens that would not fit the sequence's context: never silently truncated. */
public class ContextOverflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int needed;
    private final int contextLength;

    public ContextOverflowException(int needed, int contextLength) {
        super("needs " + needed + " positions but the context holds " + contextLength
                + " (raise it with -c, up to the model's trained length)");
        this.needed = needed;
        this.contextLength = contextLength;
    }

    /** Positions the request needed. */
    public int needed() {
        return needed;
    }

    /** Positions the context holds. */
    public int contextLength() {
        return contextLength;
    }
}
