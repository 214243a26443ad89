package dev.nabd.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's printf-style formatting, {@code template % values} (also behind Jinja's {@code format}
 * filter): a tuple gives the positional values, a dict the {@code %(name)s} ones, anything else is the
 * single value.
 */
final class PyPercent {
    private PyPercent() {
    }

    /** Python's {@code template % values}. */
    static String format(String template, Object values) {
        List<Object> args = new ArrayList<>();
        Map<?, ?> mapping = null;
        if (values instanceof PyTuple t) {
            args.addAll(t.items());
        } else {
            args.add(values);
            if (values instanceof Map<?, ?> m) {
                mapping = m;
            }
        }
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= n) {
                throw JinjaError.value("incomplete format");
            }
            Object arg = Args.MISSING;
            if (template.charAt(i) == '(') {
                int close = template.indexOf(')', i);
                if (close < 0) {
                    throw JinjaError.value("incomplete format key");
                }
                if (mapping == null) {
                    throw JinjaError.type("format requires a mapping");
                }
                String key = template.substring(i + 1, close);
                arg = Py.dictGet(mapping, key);
                if (arg == Args.MISSING) {
                    throw new JinjaError("KeyError", PyRepr.repr(key));
                }
                i = close + 1;
            }
            PyFormat.Spec s = new PyFormat.Spec();
            boolean leftAlign = false;
            boolean zero = false;
            while (i < n && "-+ #0".indexOf(template.charAt(i)) >= 0) {
                switch (template.charAt(i++)) {
                    case '-' -> leftAlign = true;
                    case '+' -> s.sign = '+';
                    case ' ' -> s.sign = s.sign == '+' ? '+' : ' ';
                    case '#' -> s.alternate = true;
                    default -> zero = true;
                }
            }
            int start = i;
            if (i < n && template.charAt(i) == '*') {
                s.width = (int) Py.toLong(nextArg(args, next++));
                i++;
            } else {
                while (i < n && Character.isDigit(template.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    s.width = Integer.parseInt(template.substring(start, i));
                }
            }
            if (i < n && template.charAt(i) == '.') {
                start = ++i;
                if (i < n && template.charAt(i) == '*') {
                    s.precision = (int) Py.toLong(nextArg(args, next++));
                    i++;
                } else {
                    while (i < n && Character.isDigit(template.charAt(i))) {
                        i++;
                    }
                    s.precision = i > start ? Integer.parseInt(template.substring(start, i)) : 0;
                }
            }
            if (i >= n) {
                throw JinjaError.value("incomplete format");
            }
            char type = template.charAt(i++);
            if (type == '%') {
                out.append('%');
                continue;
            }
            if (arg == Args.MISSING) {
                arg = nextArg(args, next++);
            }
            boolean numeric = "diuoxXeEfFgG".indexOf(type) >= 0;
            s.align = leftAlign ? '<' : zero && numeric ? '=' : '>';
            if (s.align == '=') {
                s.fill = "0";
            }
            out.append(percentOne(type, arg, s));
        }
        if (mapping == null && next < args.size()) {
            throw JinjaError.type("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static Object nextArg(List<Object> args, int index) {
        if (index >= args.size()) {
            throw JinjaError.type("not enough arguments for format string");
        }
        return args.get(index);
    }

    private static String percentOne(char type, Object arg, PyFormat.Spec s) {
        switch (type) {
            case 's', 'r', 'a' -> {
                String text = type == 's' ? PyRepr.str(arg) : PyRepr.repr(arg);
                if (s.precision >= 0) {
                    text = PyStrings.slice(text, 0L, (long) s.precision, null);
                }
                return s.pad(text, '>', "");
            }
            case 'c' -> {
                String text = Py.isString(arg) ? Py.asString(arg) : new String(Character.toChars((int) Py.toLong(arg)));
                return s.pad(text, '>', "");
            }
            case 'd', 'i', 'u', 'o', 'x', 'X' -> {
                if (!Py.isNumber(arg)) {
                    throw JinjaError.type("%" + type + " format: a real number is required, not " + Py.typeName(arg));
                }
                if (arg instanceof Double d && (d.isNaN() || d.isInfinite())) {
                    throw new JinjaError(d.isNaN() ? "ValueError" : "OverflowError",
                            "cannot convert float " + (d.isNaN() ? "NaN" : "infinity") + " to integer");
                }
                // Python's int(float) is exact however large the float is
                BigInteger v = arg instanceof Double d ? new BigDecimal(d).toBigInteger()
                        : BigInteger.valueOf(Py.toLong(arg));
                int radix = type == 'o' ? 8 : type == 'x' || type == 'X' ? 16 : 10;
                String digits = v.abs().toString(radix);
                if (type == 'X') {
                    digits = digits.toUpperCase(java.util.Locale.ROOT);
                }
                if (s.precision > digits.length()) {
                    digits = "0".repeat(s.precision - digits.length()) + digits;
                }
                String prefix = !s.alternate ? "" : type == 'o' ? "0o" : type == 'x' ? "0x" : type == 'X' ? "0X" : "";
                String sign = v.signum() < 0 ? "-" : s.sign == '+' ? "+" : s.sign == ' ' ? " " : "";
                return s.pad(digits, '>', sign + prefix);
            }
            case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                if (!Py.isNumber(arg)) {
                    throw JinjaError.type("must be real number, not " + Py.typeName(arg));
                }
                s.type = type;
                if (s.precision < 0) {
                    s.precision = 6;
                }
                return PyFormat.formatNumber(Py.toDouble(arg), s);
            }
            default -> throw JinjaError.value("unsupported format character '" + type + "' (0x"
                    + Integer.toHexString(type) + ")");
        }
    }
}
