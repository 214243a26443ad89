package dev.nabd.engine;

/** Every sequence is busy and the waiting queue is full: try again later. */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(int queued) {
        super("the server is busy: " + queued + " requests are already waiting");
    }
}
