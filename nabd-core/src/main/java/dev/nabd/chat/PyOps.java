package dev.nabd.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's arithmetic operators on template values: {@code +} joins strings and lists, {@code /} is
 * always true division, {@code //} and {@code %} floor towards minus infinity, and mixing types fails
 * with Python's TypeError text. Integers are 64-bit: overflow is an error, never a wrong number.
 */
final class PyOps {
    /** The longest string or list an operator may build: a guard against {@code 'x' * 10**12}. */
    static final long MAX_SIZE = 64L << 20;

    private PyOps() {
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u && !(op.equals("%") && Py.isString(a))) { // str % x formats x, even undefined
            throw u.fail();
        }
        return switch (op) {
            case "+" -> add(a, b);
            case "-" -> numeric(op, a, b);
            case "*" -> mul(a, b);
            case "/" -> trueDiv(a, b);
            case "//" -> floorDiv(a, b);
            case "%" -> mod(a, b);
            case "**" -> pow(a, b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    static Object add(Object a, Object b) {
        if (a instanceof Markup || b instanceof Markup) {
            if (Py.isString(a) && Py.isString(b) || a instanceof Markup && b instanceof Markup) {
                return new Markup(Markup.escape(a).text() + Markup.escape(b).text());
            }
        }
        if (a instanceof String x && b instanceof String y) {
            checkSize((long) x.length() + y.length());
            return x + y;
        }
        if (a instanceof String && !(b instanceof Markup)) {
            throw JinjaError.type("can only concatenate str (not \"" + Py.typeName(b) + "\") to str");
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            List<Object> out = new ArrayList<>(x.items());
            out.addAll(y.items());
            return new PyTuple(out);
        }
        if (isList(a) && isList(b)) {
            List<Object> out = new ArrayList<>((List<?>) a);
            out.addAll((List<?>) b);
            checkSize(out.size());
            return out;
        }
        if (isList(a)) {
            throw JinjaError.type("can only concatenate list (not \"" + Py.typeName(b) + "\") to list");
        }
        if (a instanceof PyTuple) {
            throw JinjaError.type("can only concatenate tuple (not \"" + Py.typeName(b) + "\") to tuple");
        }
        return numeric("+", a, b);
    }

    private static boolean isList(Object o) {
        return o instanceof List && !(o instanceof PyRange);
    }

    private static Object numeric(String op, Object a, Object b) {
        if (!Py.isNumber(a) || !Py.isNumber(b)) {
            throw unsupported(op, a, b);
        }
        if (a instanceof Double || b instanceof Double) {
            double x = Py.toDouble(a);
            double y = Py.toDouble(b);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                default -> x * y;
            };
        }
        long x = Py.toLong(a);
        long y = Py.toLong(b);
        try {
            return switch (op) {
                case "+" -> Math.addExact(x, y);
                case "-" -> Math.subtractExact(x, y);
                default -> Math.multiplyExact(x, y);
            };
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    static Object mul(Object a, Object b) {
        if (Py.isInt(b) && (Py.isString(a) || isList(a) || a instanceof PyTuple)) {
            return repeat(a, Py.toLong(b));
        }
        if (Py.isInt(a) && (Py.isString(b) || isList(b) || b instanceof PyTuple)) {
            return repeat(b, Py.toLong(a));
        }
        if (Py.isString(a) || Py.isString(b) || isList(a) || isList(b)) {
            Object other = Py.isString(a) || isList(a) ? b : a;
            throw JinjaError.type("can't multiply sequence by non-int of type " + PyRepr.repr(Py.typeName(other)));
        }
        return numeric("*", a, b);
    }

    private static Object repeat(Object seq, long times) {
        long n = Math.max(0, times);
        long size = (seq instanceof String s ? s.length() : Py.len(seq)) * n;
        checkSize(size);
        if (seq instanceof String s) {
            return s.repeat((int) n);
        }
        if (seq instanceof Markup m) {
            return new Markup(m.text().repeat((int) n));
        }
        List<?> items = seq instanceof PyTuple t ? t.items() : (List<?>) seq;
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(items);
        }
        return seq instanceof PyTuple ? new PyTuple(out) : out;
    }

    static Object trueDiv(Object a, Object b) {
        if (!Py.isNumber(a) || !Py.isNumber(b)) {
            throw unsupported("/", a, b);
        }
        double y = Py.toDouble(b);
        if (y == 0) {
            throw new JinjaError("ZeroDivisionError", a instanceof Double || b instanceof Double ? "float division by zero" : "division by zero");
        }
        return Py.toDouble(a) / y;
    }

    static Object floorDiv(Object a, Object b) {
        if (!Py.isNumber(a) || !Py.isNumber(b)) {
            throw unsupported("//", a, b);
        }
        if (a instanceof Double || b instanceof Double) {
            double x = Py.toDouble(a);
            double y = Py.toDouble(b);
            if (y == 0) {
                throw new JinjaError("ZeroDivisionError", "float floor division by zero");
            }
            return floatFloorDiv(x, y);
        }
        long y = Py.toLong(b);
        if (y == 0) {
            throw new JinjaError("ZeroDivisionError", "integer division or modulo by zero");
        }
        return Math.floorDiv(Py.toLong(a), y);
    }

    /** CPython's float_floor_div: from fmod, then snapped to the nearest integer (not floor(x / y)). */
    private static double floatFloorDiv(double x, double y) {
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && (y < 0) != (mod < 0)) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, x / y);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    static Object mod(Object a, Object b) {
        if (Py.isString(a)) {
            return PyPercent.format(Py.asString(a), b);
        }
        if (!Py.isNumber(a) || !Py.isNumber(b)) {
            throw unsupported("%", a, b);
        }
        if (a instanceof Double || b instanceof Double) {
            double x = Py.toDouble(a);
            double y = Py.toDouble(b);
            if (y == 0) {
                throw new JinjaError("ZeroDivisionError", "float modulo");
            }
            double r = x % y;
            if (r != 0 && (r < 0) != (y < 0)) {
                r += y;
            }
            return r == 0 ? Math.copySign(0.0, y) : r;
        }
        long y = Py.toLong(b);
        if (y == 0) {
            throw new JinjaError("ZeroDivisionError", "integer modulo by zero");
        }
        return Math.floorMod(Py.toLong(a), y);
    }

    static Object pow(Object a, Object b) {
        if (!Py.isNumber(a) || !Py.isNumber(b)) {
            throw unsupported("** or pow()", a, b);
        }
        if (a instanceof Double || b instanceof Double || Py.toLong(b) < 0) {
            double x = Py.toDouble(a);
            double y = Py.toDouble(b);
            if (x == 0 && y < 0) {
                throw new JinjaError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
            }
            return Math.pow(x, y);
        }
        long base = Py.toLong(a);
        long exp = Py.toLong(b);
        long result = 1;
        try {
            for (long i = 0; i < exp; i++) {
                result = Math.multiplyExact(result, base);
                if (result == 0 || result == 1 && base == 1) {
                    break;
                }
            }
        } catch (ArithmeticException e) {
            throw overflow();
        }
        return result;
    }

    static Object negate(Object v) {
        return switch (v) {
            case Undefined u -> throw u.fail();
            case Double d -> -d;
            case Long l when l != Long.MIN_VALUE -> -l;
            case Boolean b -> b ? -1L : 0L;
            case null, default -> throw JinjaError.type("bad operand type for unary -: " + PyRepr.repr(Py.typeName(v)));
        };
    }

    static Object plus(Object v) {
        return switch (v) {
            case Undefined u -> throw u.fail();
            case Double d -> d;
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case null, default -> throw JinjaError.type("bad operand type for unary +: " + PyRepr.repr(Py.typeName(v)));
        };
    }

    static void checkSize(long size) {
        if (size > MAX_SIZE) {
            throw new JinjaError("MemoryError", "the template tried to build a value of " + size
                    + " characters or items (the limit is " + MAX_SIZE + ")");
        }
    }

    private static JinjaError unsupported(String op, Object a, Object b) {
        return JinjaError.type("unsupported operand type(s) for " + op + ": " + PyRepr.repr(Py.typeName(a)) + " and "
                + PyRepr.repr(Py.typeName(b)));
    }

    private static JinjaError overflow() {
        return new JinjaError("OverflowError", "integer result does not fit in 64 bits");
    }
}
