package dev.nabd.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Jinja's built-in filters by name, each written after its Python source in jinja2/filters.py so that
 * edge cases agree ({@code default} only replaces undefined values unless asked, {@code int} reads
 * "4.7" as 4, {@code title} is Jinja's, not Python's). The sequence filters live in
 * {@link SequenceFilters}; {@code tojson} is transformers' version, Python's {@code json.dumps}.
 */
final class Filters {
    private Filters() {
    }

    interface Filter {
        Object apply(Evaluator ev, Object value, Args args);
    }

    private static final Map<String, Filter> FILTERS = new LinkedHashMap<>();
    /** Jinja filters nabd does not implement: templates using them still parse, and fail if they run. */
    private static final Set<String> UNSUPPORTED = Set.of("filesizeformat", "groupby", "pprint", "random", "urlencode",
            "urlize", "wordwrap", "xmlattr");

    static {
        FILTERS.put("abs", (ev, v, a) -> abs(none(a, "abs", v)));
        FILTERS.put("attr", (ev, v, a) -> {
            Object name = a.bindRequired("attr", 1, "name")[0];
            Object attr = Py.isString(name) ? Methods.attribute(v, Py.asString(name)) : Args.MISSING;
            return attr != Args.MISSING ? attr : Undefined.member(v, name);
        });
        FILTERS.put("batch", SequenceFilters::batch);
        FILTERS.put("capitalize", (ev, v, a) -> PyStrings.capitalize(softStr(none(a, "capitalize", v))));
        FILTERS.put("center", (ev, v, a) -> {
            Object width = Args.orDefault(a.bind("center", "width")[0], 80L);
            return PyStrings.pad(softStr(v), Py.toLong(width), " ", '^');
        });
        FILTERS.put("count", (ev, v, a) -> Py.len(none(a, "count", v)));
        FILTERS.put("length", (ev, v, a) -> Py.len(none(a, "length", v)));
        FILTERS.put("default", Filters::defaultFilter);
        FILTERS.put("d", Filters::defaultFilter);
        FILTERS.put("dictsort", SequenceFilters::dictsort);
        FILTERS.put("escape", (ev, v, a) -> Markup.escape(none(a, "escape", v)));
        FILTERS.put("e", (ev, v, a) -> Markup.escape(none(a, "e", v)));
        FILTERS.put("forceescape", (ev, v, a) -> Markup.escape(PyRepr.str(none(a, "forceescape", v))));
        FILTERS.put("first", (ev, v, a) -> {
            Iterator<Object> it = Py.iterate(none(a, "first", v));
            return it.hasNext() ? it.next() : Undefined.withHint("No first item, sequence was empty.");
        });
        FILTERS.put("last", (ev, v, a) -> {
            Iterator<Object> it = SequenceFilters.reversed(none(a, "last", v));
            return it.hasNext() ? it.next() : Undefined.withHint("No last item, sequence was empty.");
        });
        FILTERS.put("float", Filters::toFloat);
        FILTERS.put("int", Filters::toInt);
        FILTERS.put("format", (ev, v, a) -> {
            if (!a.positional.isEmpty() && !a.keyword.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "can't handle positional and keyword arguments at the same time");
            }
            Object values = a.keyword.isEmpty() ? new PyTuple(a.positional) : new LinkedHashMap<Object, Object>(a.keyword);
            return PyOps.mod(softStr(v), values);
        });
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("items", (ev, v, a) -> {
            none(a, "items", v);
            if (v instanceof Undefined) {
                return PyIterator.generator(Collections.emptyIterator(), "do_items");
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw JinjaError.type("Can only get item pairs from a mapping.");
            }
            return PyIterator.generator(new DictView(DictView.Kind.ITEMS, SequenceFilters.cast(m)).items().iterator(), "do_items");
        });
        FILTERS.put("join", SequenceFilters::join);
        FILTERS.put("list", (ev, v, a) -> Py.toList(none(a, "list", v)));
        FILTERS.put("lower", (ev, v, a) -> PyStrings.lower(softStr(none(a, "lower", v))));
        FILTERS.put("upper", (ev, v, a) -> PyStrings.upper(softStr(none(a, "upper", v))));
        FILTERS.put("title", (ev, v, a) -> title(softStr(none(a, "title", v))));
        FILTERS.put("map", SequenceFilters::map);
        FILTERS.put("max", (ev, v, a) -> SequenceFilters.minOrMax(ev, v, a, "max"));
        FILTERS.put("min", (ev, v, a) -> SequenceFilters.minOrMax(ev, v, a, "min"));
        FILTERS.put("select", (ev, v, a) -> SequenceFilters.selectOrReject(ev, v, a, false, true, "sync_do_select"));
        FILTERS.put("reject", (ev, v, a) -> SequenceFilters.selectOrReject(ev, v, a, false, false, "sync_do_reject"));
        FILTERS.put("selectattr", (ev, v, a) -> SequenceFilters.selectOrReject(ev, v, a, true, true, "sync_do_selectattr"));
        FILTERS.put("rejectattr", (ev, v, a) -> SequenceFilters.selectOrReject(ev, v, a, true, false, "sync_do_rejectattr"));
        FILTERS.put("replace", (ev, v, a) -> {
            Object[] p = a.bindRequired("replace", 2, "old", "new", "count");
            long count = p[2] == Args.MISSING || p[2] == null ? -1 : Py.toLong(p[2]);
            return PyStrings.replace(PyRepr.str(v), PyRepr.str(p[0]), PyRepr.str(p[1]), count);
        });
        FILTERS.put("reverse", (ev, v, a) -> SequenceFilters.reverse(none(a, "reverse", v)));
        FILTERS.put("round", Filters::round);
        FILTERS.put("safe", (ev, v, a) -> new Markup(PyRepr.str(none(a, "safe", v))));
        FILTERS.put("slice", SequenceFilters::slice);
        FILTERS.put("sort", SequenceFilters::sort);
        FILTERS.put("string", (ev, v, a) -> none(a, "string", v) instanceof Markup m ? m : PyRepr.str(v));
        FILTERS.put("striptags", (ev, v, a) -> striptags(PyRepr.str(none(a, "striptags", v))));
        FILTERS.put("sum", SequenceFilters::sum);
        FILTERS.put("trim", (ev, v, a) -> {
            Object chars = a.bind("trim", "chars")[0];
            return PyStrings.strip(softStr(v), chars == Args.MISSING || chars == null ? null : softStr(chars), true, true);
        });
        FILTERS.put("truncate", Filters::truncate);
        FILTERS.put("unique", SequenceFilters::unique);
        FILTERS.put("wordcount", (ev, v, a) -> wordcount(softStr(none(a, "wordcount", v))));
        FILTERS.put("tojson", (ev, v, a) -> {
            Object[] p = a.bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
            return PyJson.dumps(v, Py.truthy(Args.orDefault(p[0], false)), Args.orDefault(p[1], null),
                    Args.orDefault(p[2], null), Py.truthy(Args.orDefault(p[3], false)));
        });
    }

    /** Whether Jinja (as transformers configures it) has a filter of this name. */
    static boolean isKnown(String name) {
        return FILTERS.containsKey(name) || UNSUPPORTED.contains(name);
    }

    static Object apply(Evaluator ev, String name, Object value, Args args) {
        Filter f = FILTERS.get(name);
        if (f == null) {
            if (UNSUPPORTED.contains(name)) {
                throw JinjaError.runtime("the filter " + PyRepr.repr(name) + " is not supported by nabd's chat templates");
            }
            throw JinjaError.runtime("No filter named " + PyRepr.repr(name) + " found.");
        }
        return f.apply(ev, value, args);
    }

    // ---- helpers shared by several filters ------------------------------------------------------------

    /** Checks a filter that takes no arguments got none, and returns its value. */
    static Object none(Args a, String name, Object value) {
        if (!a.isEmpty()) {
            throw JinjaError.type(name + "() takes exactly 1 argument (" + (1 + a.positional.size()) + " given)");
        }
        return value;
    }

    /** markupsafe's {@code soft_str}: strings stay, anything else goes through {@code str()}. */
    static String softStr(Object v) {
        return PyRepr.str(v);
    }

    private static Object abs(Object v) {
        return switch (v) {
            case Long l -> Math.abs(l);
            case Double d -> Math.abs(d);
            case Boolean b -> b ? 1L : 0L;
            case null, default -> throw JinjaError.type("bad operand type for abs(): " + PyRepr.repr(Py.typeName(v)));
        };
    }

    // ---- the filters ----------------------------------------------------------------------------------

    private static Object defaultFilter(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("default", "default_value", "boolean");
        Object fallback = Args.orDefault(p[0], "");
        boolean bool = Py.truthy(Args.orDefault(p[1], false));
        return v instanceof Undefined || (bool && !Py.truthy(v)) ? fallback : v;
    }

    private static Object toFloat(Evaluator ev, Object v, Args a) {
        Object fallback = Args.orDefault(a.bind("float", "default")[0], 0.0);
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        Double d = pyFloat(v);
        return d == null ? fallback : d;
    }

    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*(?:[eE][+-]?\\d(?:_?\\d)*)?|\\d(?:_?\\d)*\\.?(?:[eE][+-]?\\d(?:_?\\d)*)?"
                    + "|(?i:inf|infinity|nan))");

    /** Python's {@code float(v)}, or null where it raises TypeError or ValueError. */
    private static Double pyFloat(Object v) {
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        String s = Py.asString(v);
        if (s == null) {
            return null;
        }
        s = PyStrings.strip(s, null, true, true);
        if (!FLOAT.matcher(s).matches()) {
            return null;
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT).replace("_", "");
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.endsWith("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(lower);
    }

    private static Object toInt(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("int", "default", "base");
        Object fallback = Args.orDefault(p[0], 0L);
        long base = Py.toLong(Args.orDefault(p[1], 10L));
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (Py.isString(v)) {
            Long parsed = parseInt(Py.asString(v), (int) base);
            if (parsed != null) {
                return parsed;
            }
        } else if (Py.isInt(v)) {
            return Py.toLong(v);
        }
        Double d = pyFloat(v);
        if (d == null || d.isNaN() || d.isInfinite()) {
            return fallback;
        }
        if (Math.abs(d) >= 0x1p63) {
            // Python would give the exact big integer; nabd's integers are 64-bit, so say so rather than clamp
            throw new JinjaError("OverflowError", "integer value of " + PyRepr.floatRepr(d) + " does not fit in 64 bits");
        }
        return (long) (double) d;
    }

    /** Python's {@code int(s, base)}, or null on ValueError. */
    private static Long parseInt(String s, int base) {
        String t = PyStrings.strip(s, null, true, true);
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.startsWith("-");
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if ((base == 16 && lower.startsWith("0x")) || (base == 8 && lower.startsWith("0o")) || (base == 2 && lower.startsWith("0b"))) {
            t = t.substring(2);
            if (t.startsWith("_")) {
                t = t.substring(1);
            }
        }
        if (t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
            return null;
        }
        try {
            long v = Long.parseLong(t.replace("_", ""), base);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object indent(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("indent", "width", "first", "blank");
        Object width = Args.orDefault(p[0], 4L);
        boolean first = Py.truthy(Args.orDefault(p[1], false));
        boolean blank = Py.truthy(Args.orDefault(p[2], false));
        String indention = Py.isString(width) ? Py.asString(width) : " ".repeat((int) Math.max(0, Py.toLong(width)));
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (!Py.isString(v)) {
            throw JinjaError.type("unsupported operand type(s) for +=: " + PyRepr.repr(Py.typeName(v)) + " and 'str'");
        }
        String s = Py.asString(v) + "\n";
        List<Object> lines = PyStrings.splitlines(s, false);
        StringBuilder rv = new StringBuilder();
        if (blank) {
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    rv.append('\n').append(indention);
                }
                rv.append(lines.get(i));
            }
        } else {
            rv.append(lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                String line = (String) lines.get(i);
                rv.append('\n').append(line.isEmpty() ? line : indention + line);
            }
        }
        return first ? indention + rv : rv.toString();
    }

    /** Jinja's title filter (not Python's str.title): words start after spaces, hyphens and opening brackets. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isWordBreak(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            out.append(s, start, i);
            start = i;
            while (i < s.length() && !isWordBreak(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                int cp = s.codePointAt(start);
                int n = Character.charCount(cp);
                out.append(PyStrings.upper(s.substring(start, start + n))).append(PyStrings.lower(s.substring(start + n, i)));
            }
        }
        return out.toString();
    }

    private static boolean isWordBreak(int cp) {
        return cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<' || PyStrings.isSpace(cp);
    }

    private static Object round(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("round", "precision", "method");
        long precision = Py.toLong(Args.orDefault(p[0], 0L));
        String method = PyRepr.str(Args.orDefault(p[1], "common"));
        if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
            throw new JinjaError("FilterArgumentError", "method must be common, ceil or floor");
        }
        if (!Py.isNumber(v)) {
            throw JinjaError.type("type " + Py.typeName(v) + " doesn't define __round__ method");
        }
        if (method.equals("common")) {
            if (Py.isInt(v)) {
                long x = Py.toLong(v);
                if (precision >= 0) {
                    return x;
                }
                return new BigDecimal(x).setScale((int) precision, RoundingMode.HALF_EVEN).longValue();
            }
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            double r = new BigDecimal(d).setScale((int) precision, RoundingMode.HALF_EVEN).doubleValue();
            return r == 0 ? Math.copySign(0.0, d) : r;
        }
        double scale = Math.pow(10, precision);
        double x = Py.toDouble(v) * scale;
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            // math.ceil and math.floor return ints in Python, which infinity and NaN cannot be
            throw new JinjaError(Double.isNaN(x) ? "ValueError" : "OverflowError",
                    "cannot convert float " + (Double.isNaN(x) ? "NaN" : "infinity") + " to integer");
        }
        double r = method.equals("ceil") ? Math.ceil(x) : Math.floor(x);
        return r / scale;
    }

    private static Object truncate(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("truncate", "length", "killwords", "end", "leeway");
        long length = Py.toLong(Args.orDefault(p[0], 255L));
        boolean killwords = Py.truthy(Args.orDefault(p[1], false));
        String end = PyRepr.str(Args.orDefault(p[2], "..."));
        long leeway = Py.toLong(Args.orDefault(p[3], 5L));
        String s = PyRepr.str(v);
        long len = Py.len(s);
        if (length < Py.len(end)) {
            throw new JinjaError("AssertionError", "expected length >= " + Py.len(end) + ", got " + length);
        }
        if (len <= length + leeway) {
            return s;
        }
        String head = PyStrings.slice(s, 0L, length - Py.len(end), null);
        if (killwords) {
            return head + end;
        }
        List<Object> parts = PyStrings.rsplit(head, " ", 1);
        return parts.get(0) + end;
    }

    private static long wordcount(String s) {
        long n = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean word = cp == '_' || Character.isLetter(cp) || switch (Character.getType(cp)) {
                case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
                default -> false;
            };
            if (word && !inWord) {
                n++;
            }
            inWord = word;
        }
        return n;
    }

    private static final Pattern TAGS = Pattern.compile("(?s)<!--.*?-->|<[^>]*>");

    private static Object striptags(String s) {
        String text = TAGS.matcher(s).replaceAll("");
        String collapsed = String.join(" ", PyStrings.split(text, null, -1).stream().map(Object::toString).toList());
        return collapsed.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&#34;", "\"").replace("&amp;", "&");
    }
}
