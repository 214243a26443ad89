package dev.nabd.chat;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jinja's built-in tests ({@code x is defined}, {@code x is string}, ...), as in jinja2/tests.py. */
final class Tests {
    private Tests() {
    }

    interface Test {
        boolean test(Object value, Args args);
    }

    private static final Map<String, Test> TESTS = new LinkedHashMap<>();

    static {
        TESTS.put("odd", (v, a) -> Py.eq(PyOps.mod(v, 2L), 1L));
        TESTS.put("even", (v, a) -> Py.eq(PyOps.mod(v, 2L), 0L));
        TESTS.put("divisibleby", (v, a) -> Py.eq(PyOps.mod(v, a.bindRequired("divisibleby", 1, "num")[0]), 0L));
        TESTS.put("defined", (v, a) -> !(v instanceof Undefined));
        TESTS.put("undefined", (v, a) -> v instanceof Undefined);
        TESTS.put("none", (v, a) -> v == null);
        TESTS.put("boolean", (v, a) -> v instanceof Boolean);
        TESTS.put("false", (v, a) -> Boolean.FALSE.equals(v));
        TESTS.put("true", (v, a) -> Boolean.TRUE.equals(v));
        TESTS.put("integer", (v, a) -> v instanceof Long);
        TESTS.put("float", (v, a) -> v instanceof Double);
        TESTS.put("lower", (v, a) -> Methods.Str.isLower(PyRepr.str(v)));
        TESTS.put("upper", (v, a) -> Methods.Str.isUpper(PyRepr.str(v)));
        TESTS.put("string", (v, a) -> Py.isString(v));
        TESTS.put("mapping", (v, a) -> v instanceof Map);
        TESTS.put("number", (v, a) -> Py.isNumber(v));
        TESTS.put("sequence", (v, a) -> Py.isString(v) || v instanceof List || v instanceof PyTuple || v instanceof Map
                || v instanceof Undefined);
        TESTS.put("iterable", (v, a) -> Py.isString(v) || v instanceof Collection || v instanceof PyTuple || v instanceof Map
                || v instanceof DictView || v instanceof PyIterator || v instanceof Undefined || v instanceof LoopContext);
        TESTS.put("callable", (v, a) -> v instanceof JinjaCallable || v instanceof LoopContext || v instanceof Globals.Joiner
                || v instanceof Undefined);
        TESTS.put("sameas", (v, a) -> sameAs(v, a.bindRequired("sameas", 1, "other")[0]));
        TESTS.put("escaped", (v, a) -> v instanceof Markup);
        TESTS.put("in", (v, a) -> Py.contains(a.bindRequired("in", 1, "seq")[0], v));
        Test eq = (v, a) -> Py.eq(v, a.bindRequired("eq", 1, "b")[0]);
        Test ne = (v, a) -> !Py.eq(v, a.bindRequired("ne", 1, "b")[0]);
        Test gt = (v, a) -> Py.compare(">", v, a.bindRequired("gt", 1, "b")[0]);
        Test ge = (v, a) -> Py.compare(">=", v, a.bindRequired("ge", 1, "b")[0]);
        Test lt = (v, a) -> Py.compare("<", v, a.bindRequired("lt", 1, "b")[0]);
        Test le = (v, a) -> Py.compare("<=", v, a.bindRequired("le", 1, "b")[0]);
        for (String n : List.of("==", "eq", "equalto")) {
            TESTS.put(n, eq);
        }
        for (String n : List.of("!=", "ne")) {
            TESTS.put(n, ne);
        }
        for (String n : List.of(">", "gt", "greaterthan")) {
            TESTS.put(n, gt);
        }
        for (String n : List.of(">=", "ge")) {
            TESTS.put(n, ge);
        }
        for (String n : List.of("<", "lt", "lessthan")) {
            TESTS.put(n, lt);
        }
        for (String n : List.of("<=", "le")) {
            TESTS.put(n, le);
        }
        TESTS.put("filter", (v, a) -> Py.isString(v) && Filters.isKnown(Py.asString(v)));
        TESTS.put("test", (v, a) -> Py.isString(v) && isKnown(Py.asString(v)));
    }

    static boolean isKnown(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(Evaluator ev, String name, Object value, Args args) {
        Test t = TESTS.get(name);
        if (t == null) {
            throw JinjaError.runtime("No test named " + PyRepr.repr(name) + " found.");
        }
        return t.test(value, args);
    }

    /** Python's {@code is}: singletons and small cached ints are identical, other values only to themselves. */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return a.equals(b);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.equals(y) && x >= -5 && x <= 256;
        }
        return a == b;
    }
}
