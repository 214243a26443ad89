package dev.nabd.chat;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of template values: what {@code {{ x }}} prints. Booleans
 * print as {@code True}/{@code False}, null as {@code None}, floats as Python's shortest repr, and
 * containers in Python's literal syntax with quoted strings.
 */
final class PyRepr {
    private PyRepr() {
    }

    /** Python's {@code str(v)}; an undefined value prints as nothing. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Markup m -> m.text();
            case Undefined u -> "";
            default -> repr(v);
        };
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case String s -> stringRepr(s);
            case Markup m -> "Markup(" + stringRepr(m.text()) + ")";
            case PyTuple t -> t.items().size() == 1 ? "(" + repr(t.items().get(0)) + ",)" : "(" + join(t.items().iterator()) + ")";
            case PyRange r -> r.repr();
            case List<?> l -> "[" + join(l.iterator()) + "]";
            case Map<?, ?> m -> dictRepr(m);
            case DictView d -> d.typeName() + "([" + join(d.items().iterator()) + "])";
            case Undefined u -> "Undefined";
            case Namespace n -> "<Namespace " + dictRepr(n.attributes) + ">";
            case LoopContext l -> "<LoopContext " + l.index() + "/" + l.length() + ">";
            case Macro m -> "<Macro " + (m.name() == null ? "anonymous" : repr(m.name())) + ">";
            case PyIterator i -> i.repr();
            case Methods.BoundMethod b -> "<built-in method " + b.name() + " of " + Py.typeName(b.receiver()) + " object>";
            case JinjaCallable c -> "<function " + c.name() + ">";
            default -> "<" + Py.typeName(v) + " object>";
        };
    }

    private static String join(Iterator<?> it) {
        StringBuilder sb = new StringBuilder();
        while (it.hasNext()) {
            sb.append(repr(it.next()));
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        return sb.toString();
    }

    private static String dictRepr(Map<?, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Python's string repr: single quotes unless the text has one and no double quote. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                sb.append('\\').append((char) cp);
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp < 0x100) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(String.format("\\U%08x", cp));
            }
        }
        return sb.append(quote).toString();
    }

    /** Python's {@code str.isprintable} for one character: not a control, format, separator or unassigned one. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip (Java's {@code Double.toString}
     * finds the same digits since JDK 19), written in positional notation when the decimal exponent is in
     * [-4, 16) and in Python's {@code 1e-05} style otherwise.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        double abs = Math.abs(d);
        BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        if (bd.precision() == 2) {
            // Java may prefer a closer 2-digit decimal where one digit already round-trips; Python takes the 1 digit
            BigDecimal one = shortestOneDigit(abs, bd);
            if (one != null) {
                bd = one;
            }
        }
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.DIGITS x 10^decpt
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            sb.append(a < 10 ? "0" + a : Integer.toString(a));
        }
        return sb.toString();
    }

    /** The one-significant-digit decimal that parses back to {@code abs} (the closer of two), or null. */
    private static BigDecimal shortestOneDigit(double abs, BigDecimal twoDigits) {
        int exponent = twoDigits.precision() - twoDigits.scale() - 1; // of the leading digit
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(exponent);
        BigDecimal low = twoDigits.divide(unit, 0, java.math.RoundingMode.FLOOR).multiply(unit);
        BigDecimal high = low.add(unit);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal best = null;
        for (BigDecimal c : new BigDecimal[] {low, high}) {
            if (c.signum() > 0 && c.doubleValue() == abs
                    && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = c;
            }
        }
        return best == null ? null : best.stripTrailingZeros();
    }
}
