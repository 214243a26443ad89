package dev.nabd.tokenizer;

/**
 * A tokenizer that cannot be built from the metadata given: an unsupported tokenizer model or
 * pre-tokenizer, a missing or malformed key. The message names the model type or key at fault.
 */
public class TokenizerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
