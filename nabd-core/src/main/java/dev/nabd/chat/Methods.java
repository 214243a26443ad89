package dev.nabd.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Python attributes of template values, what {@code x.name} finds before looking for an item: the
 * methods of str, dict, list and tuple that templates call ({@code content.startswith('<think>')},
 * {@code message.get('tool_calls')}), loop and namespace attributes. Methods that would change a list
 * or dict are refused, as by Jinja's ImmutableSandboxedEnvironment.
 */
final class Methods {
    private Methods() {
    }

    /** A method bound to its receiver, e.g. {@code 'a,b'.split}. */
    record BoundMethod(Object receiver, String name, Function<Args, Object> body) implements JinjaCallable {
        @Override
        public Object call(Args args) {
            return body.apply(args);
        }
    }

    private static final Set<String> STR_METHODS = Set.of("capitalize", "casefold", "center", "count", "endswith",
            "find", "format", "index", "isalnum", "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace",
            "istitle", "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix",
            "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith",
            "strip", "swapcase", "title", "upper", "zfill");
    private static final Set<String> DICT_UNSAFE = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_UNSAFE = Set.of("append", "clear", "pop", "reverse", "insert", "sort", "extend",
            "remove");

    /** The attribute {@code name} of {@code obj}, or {@link Args#MISSING} when Python has none. */
    static Object attribute(Object obj, String name) {
        switch (obj) {
            case String s -> {
                return STR_METHODS.contains(name) ? new BoundMethod(s, name, a -> Str.call(s, name, a)) : Args.MISSING;
            }
            case Markup m -> {
                return STR_METHODS.contains(name) ? new BoundMethod(m, name, a -> Str.call(m.text(), name, a)) : Args.MISSING;
            }
            case Map<?, ?> m -> {
                if (DICT_UNSAFE.contains(name)) {
                    return Undefined.unsafe(obj, name);
                }
                return switch (name) {
                    case "get" -> new BoundMethod(m, name, a -> {
                        Object[] p = a.bindRequired("get", 1, "key", "default");
                        Object v = Py.dictGet(m, p[0]);
                        return v != Args.MISSING ? v : Args.orDefault(p[1], null);
                    });
                    case "keys" -> noArgs(m, name, () -> new DictView(DictView.Kind.KEYS, cast(m)));
                    case "values" -> noArgs(m, name, () -> new DictView(DictView.Kind.VALUES, cast(m)));
                    case "items" -> noArgs(m, name, () -> new DictView(DictView.Kind.ITEMS, cast(m)));
                    case "copy" -> noArgs(m, name, () -> new LinkedHashMap<Object, Object>(m));
                    default -> Args.MISSING;
                };
            }
            case PyTuple t -> {
                return sequenceMethod(t, t.items(), name);
            }
            case List<?> l -> {
                if (LIST_UNSAFE.contains(name) && !(l instanceof PyRange)) {
                    return Undefined.unsafe(obj, name);
                }
                if (l instanceof PyRange r && (name.equals("start") || name.equals("stop") || name.equals("step"))) {
                    return name.equals("start") ? r.start : name.equals("stop") ? r.stop : r.step;
                }
                if (name.equals("copy") && !(l instanceof PyRange)) {
                    return noArgs(l, name, () -> new ArrayList<Object>(l));
                }
                return sequenceMethod(l, l, name);
            }
            case LoopContext loop -> {
                return loop.attribute(name);
            }
            case Namespace ns -> {
                if (!ns.attributes.containsKey(name)) {
                    return Args.MISSING;
                }
                return name.startsWith("_") ? Undefined.unsafe(obj, name) : ns.attributes.get(name);
            }
            case Globals.Cycler c -> {
                return c.attribute(name);
            }
            case null, default -> {
                return Args.MISSING;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> cast(Map<?, ?> m) {
        return (Map<Object, Object>) m;
    }

    private static BoundMethod noArgs(Object receiver, String name, java.util.function.Supplier<Object> body) {
        return new BoundMethod(receiver, name, a -> {
            if (!a.isEmpty()) {
                throw JinjaError.type(name + "() takes no arguments");
            }
            return body.get();
        });
    }

    private static Object sequenceMethod(Object receiver, List<?> items, String name) {
        return switch (name) {
            case "count" -> new BoundMethod(receiver, name, a -> {
                Object x = a.bindRequired("count", 1, "value")[0];
                return items.stream().filter(i -> Py.eq(i, x)).count();
            });
            case "index" -> new BoundMethod(receiver, name, a -> {
                Object x = a.bindRequired("index", 1, "value")[0];
                for (int i = 0; i < items.size(); i++) {
                    if (Py.eq(items.get(i), x)) {
                        return (long) i;
                    }
                }
                throw JinjaError.value(PyRepr.repr(x) + " is not in " + Py.typeName(receiver));
            });
            default -> Args.MISSING;
        };
    }

    /** The str methods. */
    static final class Str {
        private Str() {
        }

        static Object call(String s, String name, Args a) {
            return switch (name) {
                case "upper" -> none(a, name, PyStrings.upper(s));
                case "lower", "casefold" -> none(a, name, PyStrings.lower(s));
                case "title" -> none(a, name, PyStrings.title(s));
                case "capitalize" -> none(a, name, PyStrings.capitalize(s));
                case "swapcase" -> none(a, name, PyStrings.swapcase(s));
                case "strip", "lstrip", "rstrip" -> {
                    Object chars = a.bind(name, "chars")[0];
                    String c = chars == Args.MISSING || chars == null ? null : str(name, chars);
                    yield PyStrings.strip(s, c, !name.equals("rstrip"), !name.equals("lstrip"));
                }
                case "split", "rsplit" -> {
                    Object[] p = a.bind(name, "sep", "maxsplit");
                    String sep = p[0] == Args.MISSING || p[0] == null ? null : str(name, p[0]);
                    long max = p[1] == Args.MISSING ? -1 : integer(name, p[1]);
                    yield name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
                }
                case "splitlines" -> PyStrings.splitlines(s, Py.truthy(Args.orDefault(a.bind(name, "keepends")[0], false)));
                case "startswith", "endswith" -> affix(s, name, a);
                case "replace" -> {
                    Object[] p = a.bindRequired(name, 2, "old", "new", "count");
                    long count = p[2] == Args.MISSING ? -1 : integer(name, p[2]);
                    yield PyStrings.replace(s, str(name, p[0]), str(name, p[1]), count);
                }
                case "find", "rfind", "index", "rindex", "count" -> search(s, name, a);
                case "join" -> {
                    Object items = a.bindRequired(name, 1, "iterable")[0];
                    StringBuilder sb = new StringBuilder();
                    int i = 0;
                    for (java.util.Iterator<Object> it = Py.iterate(items); it.hasNext(); i++) {
                        Object item = it.next();
                        if (!Py.isString(item)) {
                            throw JinjaError.type("sequence item " + i + ": expected str instance, " + Py.typeName(item) + " found");
                        }
                        if (i > 0) {
                            sb.append(s);
                        }
                        sb.append(Py.asString(item));
                    }
                    yield sb.toString();
                }
                case "format" -> PyFormat.format(s, a);
                case "center", "ljust", "rjust" -> {
                    Object[] p = a.bindRequired(name, 1, "width", "fillchar");
                    String fill = p[1] == Args.MISSING ? " " : str(name, p[1]);
                    yield PyStrings.pad(s, integer(name, p[0]), fill, name.equals("center") ? '^' : name.equals("ljust") ? '<' : '>');
                }
                case "zfill" -> {
                    long width = integer(name, a.bindRequired(name, 1, "width")[0]);
                    long len = Py.len(s);
                    if (width <= len) {
                        yield s;
                    }
                    boolean sign = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+');
                    String zeros = "0".repeat((int) (width - len));
                    yield sign ? s.charAt(0) + zeros + s.substring(1) : zeros + s;
                }
                case "partition", "rpartition" -> {
                    String sep = str(name, a.bindRequired(name, 1, "sep")[0]);
                    if (sep.isEmpty()) {
                        throw JinjaError.value("empty separator");
                    }
                    int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                    if (at < 0) {
                        yield name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                    }
                    yield PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
                }
                case "removeprefix" -> {
                    String p = str(name, a.bindRequired(name, 1, "prefix")[0]);
                    yield s.startsWith(p) ? s.substring(p.length()) : s;
                }
                case "removesuffix" -> {
                    String p = str(name, a.bindRequired(name, 1, "suffix")[0]);
                    yield s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
                }
                case "isspace" -> none(a, name, !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace));
                case "isdigit", "isdecimal", "isnumeric" -> none(a, name, !s.isEmpty() && s.codePoints().allMatch(Character::isDigit));
                case "isalpha" -> none(a, name, !s.isEmpty() && s.codePoints().allMatch(Character::isLetter));
                case "isalnum" -> none(a, name, !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit));
                case "islower" -> none(a, name, isLower(s));
                case "isupper" -> none(a, name, isUpper(s));
                case "istitle" -> none(a, name, PyStrings.isTitle(s));
                default -> throw new IllegalStateException(name);
            };
        }

        static boolean isLower(String s) {
            boolean cased = false;
            for (int cp : s.codePoints().toArray()) {
                if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                    return false;
                }
                cased |= Character.isLowerCase(cp);
            }
            return cased;
        }

        static boolean isUpper(String s) {
            boolean cased = false;
            for (int cp : s.codePoints().toArray()) {
                if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) {
                    return false;
                }
                cased |= Character.isUpperCase(cp);
            }
            return cased;
        }

        private static Object none(Args a, String name, Object result) {
            if (!a.isEmpty()) {
                throw JinjaError.type("str." + name + "() takes no arguments (" + a.positional.size() + " given)");
            }
            return result;
        }

        private static String str(String method, Object v) {
            String s = Py.asString(v);
            if (s == null) {
                throw JinjaError.type(method + "() argument must be str, not " + Py.typeName(v));
            }
            return s;
        }

        private static long integer(String method, Object v) {
            if (!Py.isInt(v)) {
                throw JinjaError.type("'" + Py.typeName(v) + "' object cannot be interpreted as an integer");
            }
            return Py.toLong(v);
        }

        /** startswith/endswith with a str or a tuple of them, and optional start/end. */
        private static Object affix(String s, String name, Args a) {
            Object[] p = a.bindRequired(name, 1, "prefix", "start", "end");
            String target = window(s, p[1], p[2], name);
            if (target == null) {
                return false;
            }
            List<Object> options = p[0] instanceof PyTuple t ? t.items() : List.of(p[0]);
            for (Object o : options) {
                String x = Py.asString(o);
                if (x == null) {
                    throw JinjaError.type(name + " first arg must be str or a tuple of str, not " + Py.typeName(o));
                }
                if (name.equals("startswith") ? target.startsWith(x) : target.endsWith(x)) {
                    return true;
                }
            }
            return false;
        }

        /** {@code s[start:end]} for the optional start/end arguments; null when start is past the end. */
        private static String window(String s, Object start, Object end, String name) {
            if ((start == Args.MISSING || start == null) && (end == Args.MISSING || end == null)) {
                return s;
            }
            Long from = start == Args.MISSING || start == null ? null : integer(name, start);
            Long to = end == Args.MISSING || end == null ? null : integer(name, end);
            long len = Py.len(s);
            long f = from == null ? 0 : from < 0 ? Math.max(0, from + len) : from;
            if (f > len) {
                return null;
            }
            return PyStrings.slice(s, from, to, null);
        }

        private static Object search(String s, String name, Args a) {
            Object[] p = a.bindRequired(name, 1, "sub", "start", "end");
            String sub = str(name, p[0]);
            long len = Py.len(s);
            long from = p[1] == Args.MISSING || p[1] == null ? 0 : integer(name, p[1]);
            long to = p[2] == Args.MISSING || p[2] == null ? len : integer(name, p[2]);
            from = from < 0 ? Math.max(0, from + len) : Math.min(from, len);
            to = to < 0 ? Math.max(0, to + len) : Math.min(to, len);
            if (name.equals("count")) {
                return from > to ? 0L : PyStrings.count(PyStrings.slice(s, from, to, null), sub);
            }
            long found = -1;
            if (from <= to && to - from >= Py.len(sub)) {
                String window = PyStrings.slice(s, from, to, null);
                int at = name.startsWith("r") ? window.lastIndexOf(sub) : window.indexOf(sub);
                if (at >= 0) {
                    found = from + PyStrings.pyIndex(window, at);
                }
            }
            if (found < 0 && name.contains("index")) {
                throw JinjaError.value("substring not found");
            }
            return found;
        }
    }
}
