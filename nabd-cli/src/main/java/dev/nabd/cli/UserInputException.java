package dev.nabd.cli;

/** A problem with what the user typed, reported as one line. */
final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserInputException(String message) {
        super(message);
    }
}
