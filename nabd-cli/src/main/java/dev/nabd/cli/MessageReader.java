package dev.nabd.cli;

import java.io.IOException;

/**
 * Assembles chat messages from input lines: a line ending with a backslash continues on the next one,
 * and lines between two {@code """} lines form one message.
 */
final class MessageReader {
    /** One line of input shown with {@code prompt}; null at the end of input. */
    interface LineSource {
        String readLine(String prompt) throws IOException;
    }

    private static final String FENCE = "\"\"\"";
    private final LineSource lines;

    MessageReader(LineSource lines) {
        this.lines = lines;
    }

    /** The next message, or null at the end of input. */
    String next() throws IOException {
        String line = lines.readLine(">>> ");
        if (line == null) {
            return null;
        }
        String stripped = line.strip();
        if (stripped.length() >= 6 && stripped.startsWith(FENCE) && stripped.endsWith(FENCE)) {
            return stripped.substring(3, stripped.length() - 3);
        }
        if (stripped.startsWith(FENCE)) {
            StringBuilder text = new StringBuilder(line.strip().substring(3));
            while ((line = lines.readLine("... ")) != null && !line.strip().endsWith(FENCE)) {
                text.append(text.isEmpty() ? "" : "\n").append(line);
            }
            String end = line == null ? "" : line.strip();
            if (end.length() > 3) {
                text.append(text.isEmpty() ? "" : "\n").append(end, 0, end.length() - 3);
            }
            return text.toString();
        }
        StringBuilder text = new StringBuilder();
        while (line != null && line.endsWith("\\")) {
            text.append(line, 0, line.length() - 1).append('\n');
            line = lines.readLine("... ");
        }
        if (line != null) {
            text.append(line);
        }
        return text.toString();
    }
}
