package dev.nabd.model;

/** A model file that is readable but cannot be run: unsupported architecture, missing tensor, bad shape. */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }
}
