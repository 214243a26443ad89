package dev.nabd.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's object semantics for template values: truth, type names, length, iteration, equality,
 * ordering and membership. Values are plain Java objects: {@code null} is None, {@code Boolean},
 * {@code Long} (int), {@code Double} (float), {@code String}, {@code List} (list), {@code Map} (dict,
 * in insertion order), plus the few runtime types of this package.
 */
final class Py {
    private Py() {
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Markup m -> !m.text().isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case DictView d -> !d.dict().isEmpty();
            case Undefined u -> false;
            default -> true; // generators, namespaces, macros: Python objects without __bool__ are true
        };
    }

    /** Python's {@code type(v).__name__}. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Markup m -> "Markup";
            case PyTuple t -> "tuple";
            case PyRange r -> "range";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case DictView d -> d.typeName();
            case PyIterator i -> i.typeName;
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopContext l -> "LoopContext";
            case Macro m -> "Macro";
            case Methods.BoundMethod b -> "builtin_function_or_method";
            case JinjaCallable c -> "function";
            case Globals.Cycler c -> "Cycler";
            case Globals.Joiner j -> "Joiner";
            default -> v.getClass().getSimpleName();
        };
    }

    /** The module Python names in messages about {@code v}'s type, empty for builtins. */
    static String moduleOf(Object v) {
        return switch (v) {
            case Markup m -> "markupsafe";
            case Namespace n -> "jinja2.utils";
            case Globals.Cycler c -> "jinja2.utils";
            case Globals.Joiner j -> "jinja2.utils";
            case LoopContext l -> "jinja2.runtime";
            case Macro m -> "jinja2.runtime";
            case Undefined u -> "jinja2.runtime";
            case null, default -> "";
        };
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof Markup;
    }

    /** The text of a str (or Markup) value, {@code null} for anything else. */
    static String asString(Object v) {
        return v instanceof String s ? s : v instanceof Markup m ? m.text() : null;
    }

    /** isinstance(v, int): bools are ints in Python. */
    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : (Long) v;
    }

    static double toDouble(Object v) {
        return v instanceof Double d ? d : toLong(v);
    }

    /** Python's {@code len()}. */
    static long len(Object v) {
        return switch (v) {
            case String s -> s.codePointCount(0, s.length());
            case Markup m -> m.text().codePointCount(0, m.text().length());
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case PyTuple t -> t.items().size();
            case DictView d -> d.dict().size();
            case Undefined u -> 0;
            case LoopContext l -> l.length();
            case null, default -> throw JinjaError.type("object of type " + PyRepr.repr(typeName(v)) + " has no len()");
        };
    }

    /** Python's {@code iter()}: strings give their characters, dicts their keys. */
    @SuppressWarnings("unchecked")
    static Iterator<Object> iterate(Object v) {
        return switch (v) {
            case String s -> PyStrings.codePoints(s).iterator();
            case Markup m -> PyStrings.codePoints(m.text()).iterator();
            case List<?> l -> (Iterator<Object>) l.iterator();
            case PyTuple t -> t.items().iterator();
            case Map<?, ?> m -> new ArrayList<Object>(m.keySet()).iterator();
            case DictView d -> d.items().iterator();
            case PyIterator i -> i;
            case Undefined u -> Collections.emptyIterator();
            case null, default -> throw JinjaError.type(PyRepr.repr(typeName(v)) + " object is not iterable");
        };
    }

    /** Python's {@code list(v)}. */
    static List<Object> toList(Object v) {
        if (v instanceof List<?> l && !(v instanceof PyRange)) {
            return new ArrayList<>(l);
        }
        List<Object> out = new ArrayList<>();
        iterate(v).forEachRemaining(out::add);
        return out;
    }

    /** Python's {@code ==}. */
    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return toDouble(a) == toDouble(b);
            }
            return toLong(a) == toLong(b);
        }
        if (isString(a) && isString(b)) {
            return asString(a).equals(asString(b));
        }
        if (a instanceof PyTuple ta && b instanceof PyTuple tb) {
            return listEq(ta.items(), tb.items());
        }
        if (a instanceof PyRange || b instanceof PyRange) {
            return a instanceof PyRange && b instanceof PyRange && listEq((List<?>) a, (List<?>) b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            return listEq(la, lb);
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object other = dictGet(mb, e.getKey());
                if (other == Args.MISSING || !eq(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean listEq(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!eq(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Python's rich comparison {@code a op b} for op one of {@code < <= > >=}. */
    static boolean compare(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                double x = toDouble(a);
                double y = toDouble(b);
                return switch (op) {
                    case "<" -> x < y;
                    case "<=" -> x <= y;
                    case ">" -> x > y;
                    default -> x >= y;
                };
            }
            return applyOrder(op, Long.compare(toLong(a), toLong(b)));
        }
        if (isString(a) && isString(b)) {
            return applyOrder(op, PyStrings.compareCodePoints(asString(a), asString(b)));
        }
        boolean tuples = a instanceof PyTuple && b instanceof PyTuple;
        boolean lists = a instanceof List && b instanceof List && !(a instanceof PyRange) && !(b instanceof PyRange);
        if (tuples || lists) {
            List<?> la = tuples ? ((PyTuple) a).items() : (List<?>) a;
            List<?> lb = tuples ? ((PyTuple) b).items() : (List<?>) b;
            int n = Math.min(la.size(), lb.size());
            for (int i = 0; i < n; i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return compare(op, la.get(i), lb.get(i));
                }
            }
            return applyOrder(op, Integer.compare(la.size(), lb.size()));
        }
        throw JinjaError.type("'" + op + "' not supported between instances of "
                + PyRepr.repr(typeName(a)) + " and " + PyRepr.repr(typeName(b)));
    }

    private static boolean applyOrder(String op, int c) {
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    /** An ordering that sorts as Python's {@code sorted} does (only {@code <} is asked). */
    static int sortOrder(Object a, Object b) {
        if (compare("<", a, b)) {
            return -1;
        }
        return compare("<", b, a) ? 1 : 0;
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        switch (container) {
            case String s -> {
                return stringContains(s, item);
            }
            case Markup m -> {
                return stringContains(m.text(), item);
            }
            case Map<?, ?> m -> {
                return dictGet(m, item) != Args.MISSING;
            }
            case DictView d when d.kind() == DictView.Kind.KEYS -> {
                return dictGet(d.dict(), item) != Args.MISSING;
            }
            case Undefined u -> {
                return false;
            }
            case null -> throw JinjaError.type("argument of type 'NoneType' is not iterable");
            default -> {
                if (!(container instanceof Collection || container instanceof PyTuple || container instanceof DictView
                        || container instanceof PyIterator)) {
                    throw JinjaError.type("argument of type " + PyRepr.repr(typeName(container)) + " is not iterable");
                }
                Iterator<Object> it = iterate(container);
                while (it.hasNext()) {
                    if (eq(it.next(), item)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static boolean stringContains(String s, Object item) {
        String needle = asString(item);
        if (needle == null) {
            throw JinjaError.type("'in <string>' requires string as left operand, not " + typeName(item));
        }
        return s.contains(needle);
    }

    /** {@code dict[key]} with Python's key equality (1 == 1.0 == True); {@link Args#MISSING} when absent. */
    static Object dictGet(Map<?, ?> m, Object key) {
        checkHashable(key);
        if (key instanceof Markup mk) {
            key = mk.text();
        }
        Object v = m.get(key);
        if (v != null || m.containsKey(key)) {
            return v;
        }
        if (isNumber(key)) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (isNumber(e.getKey()) && eq(e.getKey(), key)) {
                    return e.getValue();
                }
            }
        }
        return Args.MISSING;
    }

    /** {@code dict[key] = value} with Python's key equality: an equal key keeps its place and its first form. */
    static void dictPut(Map<Object, Object> m, Object key, Object value) {
        checkHashable(key);
        if (key instanceof Markup mk) {
            key = mk.text();
        }
        if (isNumber(key) && !m.containsKey(key)) {
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                if (isNumber(e.getKey()) && eq(e.getKey(), key)) {
                    e.setValue(value);
                    return;
                }
            }
        }
        m.put(key, value);
    }

    static void checkHashable(Object key) {
        if (key instanceof List || key instanceof Map || key instanceof Namespace || key instanceof DictView) {
            throw JinjaError.type("unhashable type: " + PyRepr.repr(typeName(key)));
        }
    }

    /**
     * Converts a caller's Java value into a template value: Integer and friends become Long, Float and
     * BigDecimal become Double, arrays and collections become lists, maps keep their order.
     */
    static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> Double.parseDouble(Float.toString(f));
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case BigDecimal b -> b.doubleValue();
            case Character c -> c.toString();
            case CharSequence cs -> cs.toString();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.put(normalize(e.getKey()), normalize(e.getValue()));
                }
                yield out;
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                for (Object o : c) {
                    out.add(normalize(o));
                }
                yield out;
            }
            case Object[] a -> normalize(java.util.Arrays.asList(a));
            default -> throw new IllegalArgumentException("a chat template cannot use a value of type " + v.getClass().getName());
        };
    }
}
