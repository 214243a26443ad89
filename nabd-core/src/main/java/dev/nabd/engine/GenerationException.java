package dev.nabd.engine;

/** A request that the engine could not complete. */
public final class GenerationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GenerationException(String message) {
        super(message);
    }
}
