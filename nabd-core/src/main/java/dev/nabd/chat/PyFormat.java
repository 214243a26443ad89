package dev.nabd.chat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code str.format} with its format-spec mini-language ({@code {:>8.2f}}), whose number
 * formatting {@link PyPercent} shares. Floats round from their exact binary value, half to even, as
 * CPython does ({@code '{:.2f}'.format(2.675)} is {@code 2.67}).
 */
final class PyFormat {
    private PyFormat() {
    }

    // ---- str.format -------------------------------------------------------------------------------

    /** {@code template.format(*args, **kwargs)}, including {@code {0.name}} and {@code {0[key]}} fields. */
    static String format(String template, Args args) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        boolean manual = false;
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c == '{') {
                if (i + 1 < n && template.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int end = matchingBrace(template, i);
                String field = template.substring(i + 1, end);
                i = end + 1;
                String spec = "";
                String conversion = null;
                int colon = topLevelIndex(field, ':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.substring(bang + 1);
                    field = field.substring(0, bang);
                }
                // nested replacement fields in the spec ("{:{width}}")
                if (spec.indexOf('{') >= 0) {
                    spec = format(spec, args);
                }
                int stop = firstOf(field, ".[");
                String head = field.substring(0, stop);
                Object value;
                if (head.isEmpty()) {
                    if (manual) {
                        throw JinjaError.value("cannot switch from manual field specification to automatic field numbering");
                    }
                    value = positional(args, auto++);
                } else if (head.chars().allMatch(Character::isDigit)) {
                    manual = true;
                    value = positional(args, Integer.parseInt(head));
                } else {
                    if (!args.keyword.containsKey(head)) {
                        throw new JinjaError("KeyError", PyRepr.repr(head));
                    }
                    value = args.keyword.get(head);
                }
                value = accessors(value, field.substring(stop));
                if (conversion != null) {
                    value = switch (conversion) {
                        case "r", "a" -> PyRepr.repr(value);
                        case "s" -> PyRepr.str(value);
                        default -> throw JinjaError.value("Unknown conversion specifier " + conversion);
                    };
                }
                out.append(formatValue(value, spec));
            } else if (c == '}') {
                if (i + 1 < n && template.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw JinjaError.value("Single '}' encountered in format string");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw JinjaError.value("Single '{' encountered in format string");
    }

    private static int topLevelIndex(String s, char target) {
        int bracket = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                bracket++;
            } else if (c == ']') {
                bracket--;
            } else if (c == target && bracket == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static Object positional(Args args, int index) {
        if (index >= args.positional.size()) {
            throw new JinjaError("IndexError", "tuple index out of range"); // the sandbox formats with string.Formatter
        }
        return args.positional.get(index);
    }

    private static Object accessors(Object value, String rest) {
        int i = 0;
        while (i < rest.length()) {
            if (rest.charAt(i) == '.') {
                int end = firstOf(rest.substring(i + 1), ".[") + i + 1;
                value = Evaluator.getAttr(value, rest.substring(i + 1, end));
                i = end;
            } else {
                int end = rest.indexOf(']', i);
                String key = rest.substring(i + 1, end);
                Object k = !key.isEmpty() && key.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(key) : key;
                value = Evaluator.getItem(value, k);
                i = end + 1;
            }
        }
        return value;
    }

    /** Python's {@code format(value, spec)}. */
    static String formatValue(Object value, String spec) {
        if (spec.isEmpty()) {
            return PyRepr.str(value);
        }
        Spec s = Spec.parse(spec);
        if (Py.isString(value) || value == null || !(Py.isNumber(value))) {
            if (!Py.isString(value) && !spec.isEmpty() && !(value instanceof Undefined)) {
                throw JinjaError.type("unsupported format string passed to " + Py.typeName(value) + ".__format__");
            }
            if (s.type != 0 && s.type != 's') {
                throw JinjaError.value("Unknown format code '" + s.type + "' for object of type 'str'");
            }
            String text = PyRepr.str(value);
            if (s.precision >= 0) {
                text = PyStrings.slice(text, 0L, (long) s.precision, null);
            }
            return s.pad(text, '<', "");
        }
        if (value instanceof Boolean b && s.type == 0 && s.precision < 0) {
            return s.pad(b ? "True" : "False", '<', "");
        }
        return formatNumber(value, s);
    }

    static String formatNumber(Object value, Spec s) {
        char type = s.type;
        boolean isFloat = value instanceof Double;
        if (type == 0) {
            type = isFloat ? (s.precision >= 0 ? 'r' : 'R') : 'd';
        }
        String body;
        boolean negative;
        String prefix = "";
        if ("dnbcoxX".indexOf(type) >= 0) {
            if (isFloat) {
                throw JinjaError.value("Unknown format code '" + type + "' for object of type 'float'");
            }
            long v = Py.toLong(value);
            negative = v < 0;
            long abs = Math.abs(v);
            body = switch (type) {
                case 'b' -> Long.toBinaryString(abs);
                case 'o' -> Long.toOctalString(abs);
                case 'x' -> Long.toHexString(abs);
                case 'X' -> Long.toHexString(abs).toUpperCase(java.util.Locale.ROOT);
                case 'c' -> new String(Character.toChars((int) v));
                default -> Long.toString(abs);
            };
            if (s.alternate) {
                prefix = switch (type) {
                    case 'b' -> "0b";
                    case 'o' -> "0o";
                    case 'x' -> "0x";
                    case 'X' -> "0X";
                    default -> "";
                };
            }
            if (s.grouping != 0 && (type == 'd' || type == 'n')) {
                body = group(body, s.grouping);
            }
        } else {
            double d = Py.toDouble(value);
            negative = d < 0 || (d == 0 && 1 / d < 0);
            double abs = Math.abs(d);
            body = switch (type) {
                case 'R' -> PyRepr.floatRepr(abs);
                case 'r' -> general(abs, s.precision, s.alternate, true);
                case 'f', 'F' -> fixed(abs, s.precision < 0 ? 6 : s.precision);
                case 'e', 'E' -> exponent(abs, s.precision < 0 ? 6 : s.precision);
                case 'g', 'G', 'n' -> general(abs, s.precision < 0 ? 6 : s.precision, s.alternate, false);
                case '%' -> fixed(abs * 100, s.precision < 0 ? 6 : s.precision) + "%";
                default -> throw JinjaError.value("Unknown format code '" + type + "' for object of type '" + Py.typeName(value) + "'");
            };
            if (Character.isUpperCase(type) && type != 'R') {
                body = body.toUpperCase(java.util.Locale.ROOT);
            }
            if (s.grouping != 0) {
                int dot = body.indexOf('.');
                String intPart = dot < 0 ? body : body.substring(0, dot);
                if (intPart.chars().allMatch(Character::isDigit)) {
                    body = group(intPart, s.grouping) + (dot < 0 ? "" : body.substring(dot));
                }
            }
        }
        String sign = negative ? "-" : s.sign == '+' ? "+" : s.sign == ' ' ? " " : "";
        return s.pad(body, '>', sign + prefix);
    }

    private static String group(String digits, char sep) {
        StringBuilder sb = new StringBuilder();
        int n = digits.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) {
                sb.append(sep);
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    static String fixed(double abs, int precision) {
        if (Double.isNaN(abs)) {
            return "nan";
        }
        if (Double.isInfinite(abs)) {
            return "inf";
        }
        return new BigDecimal(abs).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String exponent(double abs, int precision) {
        if (Double.isNaN(abs)) {
            return "nan";
        }
        if (Double.isInfinite(abs)) {
            return "inf";
        }
        if (abs == 0) {
            return (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
        }
        BigDecimal r = new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        int exp = r.precision() - r.scale() - 1;
        String mantissa = precision > 0 ? digits.charAt(0) + "." + digits.substring(1) : digits.substring(0, 1);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** The {@code g} format; {@code keepPoint} is the no-type float format, which always shows a digit after the point. */
    private static String general(double abs, int precision, boolean alternate, boolean keepPoint) {
        if (Double.isNaN(abs)) {
            return "nan";
        }
        if (Double.isInfinite(abs)) {
            return "inf";
        }
        int p = precision == 0 ? 1 : precision;
        int exp;
        if (abs == 0) {
            exp = 0;
        } else {
            BigDecimal r = new BigDecimal(abs).round(new MathContext(p, RoundingMode.HALF_EVEN));
            exp = r.precision() - r.scale() - 1;
        }
        String out;
        if (exp >= -4 && exp < p) {
            out = fixed(abs, p - 1 - exp);
            if (!alternate && out.indexOf('.') >= 0) {
                out = out.replaceAll("0+$", "");
                if (out.endsWith(".")) {
                    out = keepPoint ? out + "0" : out.substring(0, out.length() - 1);
                }
            } else if (keepPoint && out.indexOf('.') < 0) {
                out = out + ".0";
            }
        } else {
            out = exponent(abs, p - 1);
            if (!alternate) {
                int e = out.indexOf('e');
                String mant = out.substring(0, e);
                if (mant.indexOf('.') >= 0) {
                    mant = mant.replaceAll("0+$", "");
                    if (mant.endsWith(".")) {
                        mant = mant.substring(0, mant.length() - 1);
                    }
                }
                out = mant + out.substring(e);
            }
        }
        return out;
    }

    /** A parsed format spec: {@code [[fill]align][sign][#][0][width][,|_][.precision][type]}. */
    static final class Spec {
        String fill = " ";
        char align;
        char sign;
        boolean alternate;
        int width = -1;
        char grouping;
        int precision = -1;
        char type;

        static Spec parse(String spec) {
            Spec s = new Spec();
            int i = 0;
            int n = spec.length();
            if (n >= 2 && "<>=^".indexOf(spec.charAt(1)) >= 0) {
                s.fill = spec.substring(0, 1);
                s.align = spec.charAt(1);
                i = 2;
            } else if (n >= 1 && "<>=^".indexOf(spec.charAt(0)) >= 0) {
                s.align = spec.charAt(0);
                i = 1;
            }
            if (i < n && "+- ".indexOf(spec.charAt(i)) >= 0) {
                s.sign = spec.charAt(i++);
            }
            if (i < n && spec.charAt(i) == '#') {
                s.alternate = true;
                i++;
            }
            if (i < n && spec.charAt(i) == '0') {
                if (s.align == 0) {
                    s.fill = "0";
                    s.align = '=';
                }
                i++;
            }
            int start = i;
            while (i < n && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            if (i > start) {
                s.width = Integer.parseInt(spec.substring(start, i));
            }
            if (i < n && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
                s.grouping = spec.charAt(i++);
            }
            if (i < n && spec.charAt(i) == '.') {
                start = ++i;
                while (i < n && Character.isDigit(spec.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw JinjaError.value("Format specifier missing precision");
                }
                s.precision = Integer.parseInt(spec.substring(start, i));
            }
            if (i < n) {
                s.type = spec.charAt(i++);
            }
            if (i < n) {
                throw JinjaError.value("Invalid format specifier '" + spec + "'");
            }
            return s;
        }

        String pad(String body, char defaultAlign, String signPrefix) {
            char a = align == 0 ? defaultAlign : align;
            int len = body.codePointCount(0, body.length()) + signPrefix.length();
            if (width <= len) {
                return signPrefix + body;
            }
            int total = width - len;
            return switch (a) {
                case '<' -> signPrefix + body + fill.repeat(total);
                case '^' -> fill.repeat(total / 2) + signPrefix + body + fill.repeat(total - total / 2);
                case '=' -> signPrefix + fill.repeat(total) + body;
                default -> fill.repeat(total) + signPrefix + body;
            };
        }
    }
}
