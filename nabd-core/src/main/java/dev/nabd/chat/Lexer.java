package dev.nabd.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits template source into tokens exactly as Jinja 3.1's lexer does with transformers' settings
 * ({@code trim_blocks}, {@code lstrip_blocks}, {@code keep_trailing_newline=False}):
 * <ul>
 *   <li>line breaks ({@code \r\n}, {@code \r}, {@code \n}) become {@code \n} and one trailing newline of
 *       the source is dropped;</li>
 *   <li>{@code {%- }, {@code {{-}, {@code {#-} remove all whitespace before the tag, {@code -%}} and friends
 *       all whitespace after it;</li>
 *   <li>trim_blocks removes the first newline after a block or comment tag (not after {@code }}}; {@code +%}}
 *       keeps it); lstrip_blocks removes spaces and tabs between a line start and a block or comment tag
 *       ({@code {%+} keeps them).</li>
 * </ul>
 * Each rule mirrors a regular expression of Jinja's lexer; the comments name them.
 */
final class Lexer {
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"
    };

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineCountedTo;
    /** Whether the last thing matched ended with a newline: lstrip_blocks also applies at such a point. */
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.src = normalizeNewlines(source);
    }

    static List<Token> tokenize(String source) {
        Lexer l = new Lexer(source);
        l.run();
        return l.tokens;
    }

    /** Jinja: {@code "\n".join(newline_re.split(source)[::2])}, minus one trailing empty line. */
    static String normalizeNewlines(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                sb.append('\n');
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                sb.append(c);
            }
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\n') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    private int lineAt(int at) {
        // positions only move forward, so count newlines incrementally
        for (; lineCountedTo < at && lineCountedTo < src.length(); lineCountedTo++) {
            if (src.charAt(lineCountedTo) == '\n') {
                line++;
            }
        }
        return line;
    }

    private void emit(Token.Type type, String text, Object value, int at) {
        tokens.add(new Token(type, text, value, lineAt(at)));
    }

    private void run() {
        int n = src.length();
        while (pos < n) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emit(Token.Type.DATA, src.substring(pos), null, pos);
                pos = n;
                break;
            }
            String kind = src.startsWith("{{", tag) ? "{{" : src.startsWith("{#", tag) ? "{#" : "{%";
            int rawEnd = kind.equals("{%") ? matchRawBegin(tag) : -1;
            char sign = tag + 2 < n ? src.charAt(tag + 2) : 0;
            if (sign != '-' && sign != '+') {
                sign = 0;
            }
            String text = src.substring(pos, tag);
            int textStart = pos;
            text = stripBeforeTag(text, sign, kind.equals("{{"));
            if (!text.isEmpty()) {
                emit(Token.Type.DATA, text, null, textStart);
            }
            int afterOpen = tag + 2 + (sign != 0 ? 1 : 0);
            lineStarting = false;
            if (rawEnd >= 0) {
                pos = rawEnd;
                lineStarting = src.charAt(rawEnd - 1) == '\n';
                raw();
            } else if (kind.equals("{#")) {
                pos = afterOpen;
                comment(tag);
            } else {
                boolean block = kind.equals("{%");
                emit(block ? Token.Type.BLOCK_BEGIN : Token.Type.VARIABLE_BEGIN, src.substring(tag, afterOpen), null, tag);
                pos = afterOpen;
                insideTag(block);
            }
        }
        emit(Token.Type.EOF, "", null, n);
    }

    private int nextTagStart(int from) {
        int i = src.indexOf('{', from);
        while (i >= 0 && i + 1 < src.length()) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = src.indexOf('{', i + 1);
        }
        return -1;
    }

    /**
     * The text before a tag: all trailing whitespace goes for a {@code -} sign; with lstrip_blocks, the
     * spaces between the last line start and a block or comment tag go unless the sign is {@code +}.
     */
    private String stripBeforeTag(String text, char sign, boolean variable) {
        if (sign == '-') {
            return PyStrings.strip(text, null, false, true);
        }
        if (sign != '+' && !variable) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private static boolean allSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!PyStrings.isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private int skipSpace(int i) {
        while (i < src.length() && PyStrings.isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code \{%(-|+|)\s*raw\s*(?:-%\}\s*|%\})}: the end of a raw-begin tag at {@code at}, or -1. */
    private int matchRawBegin(int at) {
        int i = at + 2;
        if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
            i++;
        }
        i = skipSpace(i);
        if (!src.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        return src.startsWith("%}", i) ? i + 2 : -1;
    }

    private void raw() {
        int start = pos;
        // {%(-|+|)\s*endraw\s*(?:+%}|-%}\s*|%}\n?), searched for from the left
        for (int at = src.indexOf("{%", pos); at >= 0; at = src.indexOf("{%", at + 1)) {
            int i = at + 2;
            char sign = 0;
            if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
                sign = src.charAt(i++);
            }
            i = skipSpace(i);
            if (!src.startsWith("endraw", i)) {
                continue;
            }
            i = skipSpace(i + 6);
            int end = closeBlock(i);
            if (end < 0) {
                continue;
            }
            String text = stripBeforeTag(src.substring(start, at), sign, false);
            if (!text.isEmpty()) {
                emit(Token.Type.DATA, text, null, start);
            }
            pos = end;
            lineStarting = src.charAt(end - 1) == '\n';
            return;
        }
        throw JinjaError.syntax("Missing end of raw directive", lineAt(start));
    }

    /** A block end at {@code i} ({@code +%}}, {@code -%}} plus whitespace, {@code %}} plus one newline): its end, or -1. */
    private int closeBlock(int i) {
        if (src.startsWith("+%}", i)) {
            return i + 3;
        }
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        if (src.startsWith("%}", i)) {
            int end = i + 2;
            return end < src.length() && src.charAt(end) == '\n' ? end + 1 : end;
        }
        return -1;
    }

    private void comment(int open) {
        for (int i = pos; i < src.length(); i++) {
            int end = -1;
            if (src.startsWith("+#}", i)) {
                end = i + 3;
            } else if (src.startsWith("-#}", i)) {
                end = skipSpace(i + 3);
            } else if (src.startsWith("#}", i)) {
                end = i + 2;
                if (end < src.length() && src.charAt(end) == '\n') {
                    end++;
                }
            }
            if (end >= 0) {
                pos = end;
                lineStarting = src.charAt(end - 1) == '\n';
                return;
            }
        }
        throw JinjaError.syntax("Missing end of comment tag", lineAt(open));
    }

    /** Tokens of a {@code {% %}} or {@code {{ }}} tag up to and including its end. */
    private void insideTag(boolean block) {
        Deque<Character> balance = new ArrayDeque<>();
        int n = src.length();
        while (pos < n) {
            if (balance.isEmpty()) {
                int end = block ? closeBlock(pos) : closeVariable(pos);
                if (end >= 0) {
                    emit(block ? Token.Type.BLOCK_END : Token.Type.VARIABLE_END, src.substring(pos, end), null, pos);
                    lineStarting = src.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            char c = src.charAt(pos);
            if (PyStrings.isSpace(c)) {
                pos = skipSpace(pos);
                continue;
            }
            if (number()) {
                continue;
            }
            if (Character.isUnicodeIdentifierStart(src.codePointAt(pos)) || c == '_') {
                name();
                continue;
            }
            if (c == '\'' || c == '"') {
                string(c);
                continue;
            }
            String op = operatorAt(pos);
            if (op == null) {
                throw JinjaError.syntax("unexpected char " + PyRepr.repr(String.valueOf(c)) + " at " + pos, lineAt(pos));
            }
            balance(balance, op);
            emit(Token.Type.OPERATOR, op, null, pos);
            pos += op.length();
        }
        // an unclosed tag: the parser reports what it expected at the end of the template
    }

    private int closeVariable(int i) {
        if (src.startsWith("-}}", i)) {
            return skipSpace(i + 3);
        }
        return src.startsWith("}}", i) ? i + 2 : -1;
    }

    private void balance(Deque<Character> stack, String op) {
        switch (op) {
            case "{" -> stack.push('}');
            case "(" -> stack.push(')');
            case "[" -> stack.push(']');
            case "}", ")", "]" -> {
                if (stack.isEmpty()) {
                    throw JinjaError.syntax("unexpected '" + op + "'", lineAt(pos));
                }
                char expected = stack.pop();
                if (expected != op.charAt(0)) {
                    throw JinjaError.syntax("unexpected '" + op + "', expected '" + expected + "'", lineAt(pos));
                }
            }
            default -> {
            }
        }
    }

    private String operatorAt(int i) {
        for (String op : OPERATORS) {
            if (src.startsWith(op, i)) {
                return op;
            }
        }
        return null;
    }

    private void name() {
        int start = pos;
        pos += Character.charCount(src.codePointAt(pos));
        while (pos < src.length() && Character.isUnicodeIdentifierPart(src.codePointAt(pos))
                && !Character.isIdentifierIgnorable(src.codePointAt(pos))) {
            pos += Character.charCount(src.codePointAt(pos));
        }
        emit(Token.Type.NAME, src.substring(start, pos), null, start);
    }

    /** Digits with single underscores between them ({@code (\d+_)*\d+}); returns the end or -1. */
    private int digits(int i) {
        int start = i;
        while (i < src.length()) {
            int j = i;
            while (j < src.length() && isDigit(src.charAt(j))) {
                j++;
            }
            if (j == i) {
                return i == start ? -1 : i - 1; // a trailing '_' does not belong to the number
            }
            i = j;
            if (i < src.length() && src.charAt(i) == '_' && i + 1 < src.length() && isDigit(src.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Jinja's float rule, then its integer rule (binary, octal, hex, decimal). */
    private boolean number() {
        int start = pos;
        if (!isDigit(src.charAt(start))) {
            return false;
        }
        int intEnd = digits(start);
        // float: D.D, DeD or D.DeD, never right after a dot (so "a.0.1" is two item lookups)
        if (start == 0 || src.charAt(start - 1) != '.') {
            int end = intEnd;
            if (end + 1 < src.length() && src.charAt(end) == '.' && isDigit(src.charAt(end + 1))) {
                end = digits(end + 1);
            }
            int exp = exponent(end);
            if (exp >= 0) {
                end = exp;
            }
            if (end > intEnd) {
                String text = src.substring(start, end);
                emit(Token.Type.FLOAT, text, Double.parseDouble(text.replace("_", "")), start);
                pos = end;
                return true;
            }
        }
        int end = intEnd;
        int radix = 10;
        char second = start + 1 < src.length() ? Character.toLowerCase(src.charAt(start + 1)) : 0;
        if (src.charAt(start) == '0' && (second == 'b' || second == 'o' || second == 'x')) {
            radix = second == 'b' ? 2 : second == 'o' ? 8 : 16;
            end = start + 2;
            while (end < src.length()) {
                char c = src.charAt(end);
                if (c == '_' && end + 1 < src.length() && Character.digit(src.charAt(end + 1), radix) >= 0) {
                    end += 2;
                } else if (Character.digit(c, radix) >= 0) {
                    end++;
                } else {
                    break;
                }
            }
            if (end == start + 2) { // "0x" without digits is the integer 0 followed by a name
                end = start + 1;
                radix = 10;
            }
        } else if (src.charAt(start) == '0') {
            // a decimal integer may not start with 0, except zero itself ("0", "00", "0_0")
            end = start + 1;
            while (end < src.length() && (src.charAt(end) == '0'
                    || src.charAt(end) == '_' && end + 1 < src.length() && src.charAt(end + 1) == '0')) {
                end += src.charAt(end) == '_' ? 2 : 1;
            }
        }
        String text = src.substring(start, end);
        String clean = text.replace("_", "");
        long value;
        try {
            value = radix == 10 ? Long.parseLong(clean) : Long.parseLong(clean.substring(2), radix);
        } catch (NumberFormatException e) {
            throw JinjaError.syntax("integer literal " + text + " does not fit in 64 bits", lineAt(start));
        }
        emit(Token.Type.INTEGER, text, value, start);
        pos = end;
        return true;
    }

    private int exponent(int i) {
        if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < src.length() && (src.charAt(j) == '+' || src.charAt(j) == '-')) {
                j++;
            }
            if (j < src.length() && isDigit(src.charAt(j))) {
                return digits(j);
            }
        }
        return -1;
    }

    private void string(char quote) {
        int start = pos;
        int i = pos + 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                String body = src.substring(start + 1, i);
                emit(Token.Type.STRING, src.substring(start, i + 1), StringLiterals.decode(body, lineAt(start)), start);
                pos = i + 1;
                return;
            }
            i++;
        }
        throw JinjaError.syntax("unexpected char " + PyRepr.repr(String.valueOf(quote)) + " at " + start, lineAt(start));
    }
}
