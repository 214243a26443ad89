package dev.nabd.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259), so that nabd-core can read {@code tokenizer.json} and
 * {@code tokenizer_config.json} without a library. Values become plain Java objects: an object is a
 * {@code Map<String, Object>} in file order, an array a {@code List<Object>}, a string a {@code String},
 * a number a {@code Long} when written without fraction or exponent and in range (else a {@code Double}),
 * {@code true}/{@code false} a {@code Boolean}, and {@code null} is {@code null}.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no {@code NaN}, no control
 * characters inside strings, no duplicate keys in an object (a tokenizer whose vocabulary names a token
 * twice is broken, and silently keeping one of the two would hide it), nothing after the value, and at
 * most {@value #MAX_DEPTH} nested arrays and objects (deeper input would otherwise overflow the stack).
 * Any violation throws {@link JsonParseException} with line and column. Lone UTF-16 surrogates written
 * as {@code \}{@code uD800} escapes are kept, as Python's and JavaScript's readers keep them.
 */
public final class JsonReader {
    /** Nesting limit: far beyond any real configuration file, far below a stack overflow. */
    public static final int MAX_DEPTH = 512;

    private final String s;
    private int pos;
    private int depth;

    private JsonReader(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON value that makes up the whole of {@code text} (whitespace around it allowed).
     *
     * @throws JsonParseException when the text is not exactly one well-formed JSON value
     */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.skipWhitespace();
        Object value = r.value();
        r.skipWhitespace();
        if (r.pos < r.s.length()) {
            throw r.error("unexpected " + r.describe(r.pos) + " after the JSON value");
        }
        return value;
    }

    private Object value() {
        if (pos >= s.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describe(pos) + ", expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describe(pos) + ", expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = next("',' or '}'");
            if (c == '}') {
                depth--;
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describe(pos) + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> list = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            char c = next("',' or ']'");
            if (c == ']') {
                depth--;
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describe(pos) + ", expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("arrays and objects nested deeper than " + MAX_DEPTH);
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // fast path: no escapes
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                return s.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder(pos - start + 16).append(s, start, pos);
        while (true) {
            if (pos >= s.length()) {
                throw error("unexpected end of input inside a string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character U+" + String.format("%04X", (int) c) + " inside a string (write it as an escape)");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= s.length()) {
                throw error("unexpected end of input inside a string");
            }
            char e = s.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append(hex4(pos + 2));
                    pos += 4;
                }
                default -> {
                    pos++;
                    throw error("invalid escape \\" + printable(e));
                }
            }
            pos += 2;
        }
    }

    private char hex4(int at) {
        if (at + 4 > s.length()) {
            pos = Math.min(at, s.length());
            throw error("unexpected end of input inside a \\u escape");
        }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                pos = i;
                throw error("invalid hex digit " + describe(i) + " in a \\u escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("unexpected " + describe(pos) + ", expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("unexpected " + describe(pos) + ", expected a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("unexpected " + describe(pos) + ", expected a digit in the exponent");
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (integral && text.length() <= 20) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                // beyond long: read it as a double below, as JavaScript would
            }
        }
        return Double.parseDouble(text);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected " + describe(pos) + ", expected a value");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describe(pos) + ", expected '" + c + "'");
        }
        pos++;
    }

    private char next(String expected) {
        if (pos >= s.length()) {
            throw error("unexpected end of input, expected " + expected);
        }
        return s.charAt(pos++);
    }

    /** The next char, or -1 at the end. */
    private int peek() {
        return pos < s.length() ? s.charAt(pos) : -1;
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= s.length()) {
            return "end of input";
        }
        return "'" + printable(s.charAt(at)) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    private JsonParseException error(String message) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(pos, s.length());
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonParseException(message, line, end - lineStart + 1);
    }
}
