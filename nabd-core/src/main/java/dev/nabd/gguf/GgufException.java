package dev.nabd.gguf;

/** A GGUF file that cannot be read: its message names the file and what is wrong with it. */
public class GgufException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
