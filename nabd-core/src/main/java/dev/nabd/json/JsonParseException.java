package dev.nabd.json;

/**
 * Text that is not well-formed JSON. The message names the line and column (both from 1) where reading
 * stopped, and what was expected there.
 */
public final class JsonParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    JsonParseException(String message, int line, int column) {
        super(message + " at line " + line + ", column " + column);
        this.line = line;
        this.column = column;
    }

    /** The line (from 1) where the error was found. */
    public int line() {
        return line;
    }

    /** The column (from 1, in UTF-16 chars) where the error was found. */
    public int column() {
        return column;
    }
}
