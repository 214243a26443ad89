package dev.nabd.chat;

/** Decodes the body of a template string literal ({@code 'a\\n\\u00e9'}) as Jinja does. */
final class StringLiterals {
    private StringLiterals() {
    }

    /**
     * Python's {@code s.encode("ascii", "backslashreplace").decode("unicode-escape")}, which is how Jinja
     * decodes string literals (so {@code \n}, {@code \x41}, {@code \u00e9}, {@code \N{...}} and octal escapes
     * work, and an unknown escape keeps its backslash).
     */
    static String decode(String s, int line) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        // backslashreplace first: a non-ASCII character right after a backslash becomes part of an escape
        StringBuilder ascii = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                ascii.append((char) cp);
            } else if (cp < 0x100) {
                ascii.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                ascii.append(String.format("\\u%04x", cp));
            } else {
                ascii.append(String.format("\\U%08x", cp));
            }
        }
        String a = ascii.toString();
        StringBuilder out = new StringBuilder(a.length());
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= a.length()) {
                throw JinjaError.syntax("\\ at end of string", line);
            }
            char e = a.charAt(++i);
            switch (e) {
                case '\n' -> {
                }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    String hex = a.substring(i + 1, Math.min(a.length(), i + 1 + len));
                    if (hex.length() < len || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw JinjaError.syntax("truncated \\" + e + "XXXX escape", line);
                    }
                    int cp = Integer.parseInt(hex, 16);
                    if (!Character.isValidCodePoint(cp)) {
                        throw JinjaError.syntax("illegal Unicode character", line);
                    }
                    out.appendCodePoint(cp);
                    i += len;
                }
                case 'N' -> {
                    int close = a.indexOf('}', i);
                    if (i + 1 >= a.length() || a.charAt(i + 1) != '{' || close < 0) {
                        throw JinjaError.syntax("malformed \\N character escape", line);
                    }
                    String name = a.substring(i + 2, close);
                    try {
                        out.appendCodePoint(Character.codePointOf(name));
                    } catch (IllegalArgumentException ex) {
                        throw JinjaError.syntax("unknown Unicode character name", line);
                    }
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int j = i;
                        int v = 0;
                        while (j < a.length() && j < i + 3 && a.charAt(j) >= '0' && a.charAt(j) <= '7') {
                            v = v * 8 + (a.charAt(j) - '0');
                            j++;
                        }
                        out.appendCodePoint(v);
                        i = j - 1;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }
}
