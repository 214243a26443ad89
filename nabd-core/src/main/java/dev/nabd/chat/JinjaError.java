package dev.nabd.chat;

/**
 * An error raised while evaluating a template, named after the Python exception Jinja would raise
 * ({@code TypeError}, {@code UndefinedError}, ...). The evaluator stamps the line of the innermost
 * expression it passes through; {@link ChatTemplate} turns it into a {@link TemplateException}.
 */
final class JinjaError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String kind;
    final boolean raised;
    int line;

    JinjaError(String kind, String message) {
        this(kind, message, false);
    }

    private JinjaError(String kind, String message, boolean raised) {
        // no stack trace: these are expected outcomes of bad input, and templates cannot catch them
        super(message, null, false, false);
        this.kind = kind;
        this.raised = raised;
    }

    static JinjaError type(String message) {
        return new JinjaError("TypeError", message);
    }

    static JinjaError value(String message) {
        return new JinjaError("ValueError", message);
    }

    static JinjaError runtime(String message) {
        return new JinjaError("TemplateRuntimeError", message);
    }

    static JinjaError syntax(String message, int line) {
        JinjaError e = new JinjaError("TemplateSyntaxError", message);
        e.line = line;
        return e;
    }

    /** What {@code raise_exception(msg)} throws: the message is the template's own, kept verbatim. */
    static JinjaError raisedByTemplate(String message) {
        return new JinjaError("TemplateError", message, true);
    }

    JinjaError at(int line) {
        if (this.line == 0) {
            this.line = line;
        }
        return this;
    }

    TemplateException toTemplateException() {
        String detail = raised ? getMessage() : kind + ": " + getMessage();
        return new TemplateException(detail, line, raised, null);
    }
}
