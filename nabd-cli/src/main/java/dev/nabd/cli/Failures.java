package dev.nabd.cli;

import dev.nabd.gguf.GgufException;
import dev.nabd.model.ContextOverflowException;
import dev.nabd.model.ModelException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns the failures a user can cause (a bad file, a wrong path, a prompt too long, bad values) into one
 * line on stderr and exit code 1. Anything else is a bug in nabd and keeps its stack trace.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        String message = userMessage(e);
        if (message == null) {
            throw new IllegalStateException("internal error in nabd", e);
        }
        cli.getErr().println("nabd: error: " + message);
        cli.getErr().flush();
        return 1;
    }

    /** The message for a failure caused by the input, or {@code null} for an internal error. */
    static String userMessage(Throwable e) {
        return switch (e) {
            case GgufException g -> g.getMessage();
            case ModelException m -> m.getMessage();
            case ContextOverflowException c -> "the prompt does not fit: it " + c.getMessage();
            case UserInputException u -> u.getMessage();
            case IllegalArgumentException i -> i.getMessage();
            case UncheckedIOException u -> u.getCause().getMessage();
            case IOException io -> io.getClass().getSimpleName() + ": " + io.getMessage();
            case OutOfMemoryError oom -> "out of memory (" + oom.getMessage() + "): try a smaller context (-c)";
            default -> null;
        };
    }
}
