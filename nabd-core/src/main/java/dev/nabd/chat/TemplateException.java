package dev.nabd.chat;

/**
 * A chat template that cannot be parsed or that fails while rendering. Rendering never returns a
 * shortened prompt: any error stops it and surfaces here, with the template line where it happened.
 */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String detail;
    private final boolean raised;

    TemplateException(String detail, int line, boolean raised, Throwable cause) {
        super(describe(detail, line, raised), cause);
        this.line = line;
        this.detail = detail;
        this.raised = raised;
    }

    private static String describe(String detail, int line, boolean raised) {
        String where = line > 0 ? "chat template line " + line : "chat template";
        return raised ? where + ": raise_exception: " + detail : where + ": " + detail;
    }

    /** The template line (1-based) where the error happened, or 0 when unknown. */
    public int line() {
        return line;
    }

    /**
     * The error without its location: the exact message passed to {@code raise_exception}, or the kind
     * and text of any other error (for example {@code "UndefinedError: 'foo' is undefined"}).
     */
    public String detail() {
        return detail;
    }

    /** Whether the template itself refused the input through {@code raise_exception(msg)}. */
    public boolean raisedByTemplate() {
        return raised;
    }
}
