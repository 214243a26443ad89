package dev.nabd.tokenizer;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates the Oniguruma regular expressions of tokenizer.json ({@code Split} and {@code Replace}
 * patterns; Hugging Face compiles them with Oniguruma's Ruby syntax) into {@link java.util.regex}
 * patterns that match the same text. The two dialects agree on nearly everything tokenizers use:
 * alternation, classes, {@code \p{L}}-style categories, lookaround, lazy and possessive quantifiers.
 * What differs is rewritten:
 * <ul>
 *   <li>{@code \s \S} are Unicode White_Space in Oniguruma, ASCII in Java: written as
 *       {@code \p{IsWhite_Space}};</li>
 *   <li>{@code \d \w} (and negations) are Unicode in Oniguruma: written as {@code \p{Nd}} and
 *       {@code [\p{L}\p{M}\p{Nd}\p{Pc}]};</li>
 *   <li>{@code \h} is a hex digit in Oniguruma, horizontal space in Java;</li>
 *   <li>{@code (?i)} folds Unicode case in Oniguruma: Java needs {@code u} too ({@code 'ſ} matches
 *       {@code 's});</li>
 *   <li>{@code ^ $} are line anchors in Ruby syntax and only {@code \n} ends a line: Java runs with
 *       MULTILINE and UNIX_LINES;</li>
 *   <li>{@code \p{Han}}-style script names and {@code \p{^L}} negation, {@code [[:alpha:]]} POSIX
 *       classes (Unicode in Oniguruma).</li>
 * </ul>
 */
final class OnigRegex {
    /** General categories Java accepts as written in {@code \p{..}}; other names are scripts or properties. */
    private static final java.util.Set<String> CATEGORIES = java.util.Set.of("L", "Lu", "Ll", "Lt", "Lm", "Lo", "LC",
            "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc",
            "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs", "Cn");
    /** Long category names and the POSIX-bracket classes, as Java class bodies (no brackets). */
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("Letter", "\\p{L}"), Map.entry("Mark", "\\p{M}"), Map.entry("Number", "\\p{N}"),
            Map.entry("Punctuation", "\\p{P}"), Map.entry("Symbol", "\\p{S}"), Map.entry("Separator", "\\p{Z}"),
            Map.entry("Other", "\\p{C}"),
            Map.entry("alpha", "\\p{IsAlphabetic}"), Map.entry("digit", "\\p{Nd}"), Map.entry("alnum", "\\p{IsAlphabetic}\\p{Nd}"),
            Map.entry("upper", "\\p{IsUppercase}"), Map.entry("lower", "\\p{IsLowercase}"),
            Map.entry("space", "\\p{IsWhite_Space}"), Map.entry("blank", "\\p{Zs}\\t"),
            Map.entry("punct", "\\p{P}"), Map.entry("cntrl", "\\p{Cc}"), Map.entry("xdigit", "0-9A-Fa-f"),
            Map.entry("word", "\\p{L}\\p{M}\\p{Nd}\\p{Pc}"), Map.entry("print", "\\P{C}"), Map.entry("graph", "^\\p{Z}\\p{C}"));

    private static final String WHITESPACE = "\\p{IsWhite_Space}";
    private static final String WORD = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";

    private OnigRegex() {
    }

    /**
     * The Java pattern for an Oniguruma regex.
     *
     * @throws TokenizerException naming the regex when it uses syntax this translation does not cover
     */
    static Pattern compile(String onig) {
        String java = translate(onig);
        try {
            return Pattern.compile(java, Pattern.MULTILINE | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("unsupported regular expression /" + onig + "/: " + e.getDescription(), e);
        }
    }

    /** The Java spelling of {@code onig} (exposed for tests). */
    static String translate(String onig) {
        StringBuilder out = new StringBuilder(onig.length() + 32);
        int classDepth = 0;
        for (int i = 0; i < onig.length(); i++) {
            char c = onig.charAt(i);
            if (c == '\\' && i + 1 < onig.length()) {
                char e = onig.charAt(++i);
                boolean inClass = classDepth > 0;
                switch (e) {
                    case 's' -> out.append(inClass ? WHITESPACE : "[" + WHITESPACE + "]");
                    case 'S' -> out.append(inClass ? "[^" + WHITESPACE + "]" : "[^" + WHITESPACE + "]");
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append("\\P{Nd}");
                    case 'w' -> out.append(inClass ? WORD : "[" + WORD + "]");
                    case 'W' -> out.append("[^" + WORD + "]");
                    case 'h' -> out.append(inClass ? "0-9A-Fa-f" : "[0-9A-Fa-f]");
                    case 'H' -> out.append("[^0-9A-Fa-f]");
                    case 'p', 'P' -> i = property(onig, i, e == 'P', out);
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (c == '[') {
                if (onig.startsWith("[:", i)) {
                    int close = onig.indexOf(":]", i + 2);
                    if (classDepth > 0 && close > 0) {
                        String name = onig.substring(i + 2, close);
                        boolean negated = name.startsWith("^");
                        String body = NAMED.get(negated ? name.substring(1) : name);
                        if (body == null) {
                            throw new TokenizerException("unsupported POSIX class [:" + name + ":] in /" + onig + "/");
                        }
                        out.append(negated ? "[^" + body + "]" : "[" + body + "]");
                        i = close + 1;
                        continue;
                    }
                }
                classDepth++;
                out.append('[');
                if (i + 1 < onig.length() && onig.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < onig.length() && onig.charAt(i + 1) == ']') {
                    out.append("\\]"); // a ']' first in a class is a literal in both, but say so for Java
                    i++;
                }
                continue;
            }
            if (c == ']' && classDepth > 0) {
                classDepth--;
                out.append(']');
                continue;
            }
            if (c == '(' && classDepth == 0 && onig.startsWith("(?", i)) {
                i = groupFlags(onig, i, out);
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * {@code (?i:} and {@code (?i)} gain Java's {@code u}, so that case folds beyond ASCII as in Oniguruma;
     * a {@code (?i:...)} group of plain ASCII alternatives (the contractions of GPT-2-style regexes) is
     * written out with case classes instead, which Java matches much faster at every position.
     */
    private static int groupFlags(String onig, int i, StringBuilder out) {
        if (onig.startsWith("(?i:", i)) {
            int close = onig.indexOf(')', i);
            String expanded = close < 0 ? null : caseClasses(onig.substring(i + 4, close));
            if (expanded != null) {
                out.append("(?:").append(expanded).append(')');
                return close;
            }
        }
        int j = i + 2;
        while (j < onig.length() && (Character.isLetter(onig.charAt(j)) || onig.charAt(j) == '-')) {
            j++;
        }
        String flags = onig.substring(i + 2, j);
        if (!flags.isEmpty() && j < onig.length() && (onig.charAt(j) == ':' || onig.charAt(j) == ')')) {
            int minus = flags.indexOf('-');
            String on = minus < 0 ? flags : flags.substring(0, minus);
            String off = minus < 0 ? "" : flags.substring(minus);
            if (on.contains("m")) {
                // Ruby's (?m) is dot-all, Java's (?s)
                on = on.replace("m", "s");
            }
            if (on.contains("i") && !on.contains("u")) {
                on = on + "u";
            }
            out.append("(?").append(on).append(off.replace("m", "s")).append(onig.charAt(j));
            return j;
        }
        out.append('(');
        return i;
    }

    /**
     * Plain ASCII letters, apostrophes, digits and {@code |} with each letter as the class of the characters
     * that fold to it in Unicode (s also matches ſ U+017F, k the Kelvin sign U+212A), or {@code null} for
     * anything else.
     */
    private static String caseClasses(String body) {
        StringBuilder sb = new StringBuilder(body.length() * 4);
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c == '|' || c == '\'' || c == '-' || c == ' ' || (c >= '0' && c <= '9')) {
                sb.append(c);
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                char lower = Character.toLowerCase(c);
                sb.append('[').append(lower).append(Character.toUpperCase(c));
                sb.append(lower == 's' ? "\u017F" : lower == 'k' ? "\u212A" : "").append(']');
            } else {
                return null;
            }
        }
        return sb.toString();
    }

    /** {@code \p{..}}, {@code \P{..}}, {@code \p{^..}}: categories as is, other names as Java's {@code Is..}. */
    private static int property(String onig, int i, boolean negated, StringBuilder out) {
        if (i + 1 >= onig.length() || onig.charAt(i + 1) != '{') {
            throw new TokenizerException("unsupported \\p without braces in /" + onig + "/");
        }
        int close = onig.indexOf('}', i + 2);
        if (close < 0) {
            throw new TokenizerException("unclosed \\p{ in /" + onig + "/");
        }
        String name = onig.substring(i + 2, close);
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String body;
        if (CATEGORIES.contains(name)) {
            body = "\\p{" + name + "}";
        } else if (NAMED.containsKey(name) && Character.isUpperCase(name.charAt(0))) {
            body = NAMED.get(name);
        } else {
            body = "\\p{Is" + name.replace(" ", "_") + "}";
        }
        out.append(negated ? "[^" + body + "]" : body);
        return close;
    }
}
