package dev.nabd.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The filters that walk a sequence ({@code map}, {@code select}, {@code sort}, {@code join}, ...), after
 * jinja2/filters.py: {@code map}, {@code select} and their kin return lazy one-shot generators as in
 * Python, attributes are looked up item first ({@code make_attrgetter}), and sorting is case-insensitive
 * unless asked otherwise.
 */
final class SequenceFilters {
    private SequenceFilters() {
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> cast(Map<?, ?> m) {
        return (Map<Object, Object>) m;
    }

    /** Python's {@code reversed(v)} as an iterator (strings reverse by character). */
    static Iterator<Object> reversed(Object v) {
        List<Object> items = switch (v) {
            case String s -> PyStrings.codePoints(s);
            case Markup m -> PyStrings.codePoints(m.text());
            case List<?> l -> new ArrayList<>(l);
            case PyTuple t -> new ArrayList<>(t.items());
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case DictView d -> d.items();
            case Undefined u -> new ArrayList<>();
            case null, default -> throw JinjaError.type(PyRepr.repr(Py.typeName(v)) + " object is not reversible");
        };
        Collections.reverse(items);
        return items.iterator();
    }

    static Object reverse(Object v) {
        if (Py.isString(v)) {
            String s = new StringBuilder(Py.asString(v)).reverse().toString();
            return v instanceof Markup ? new Markup(s) : s;
        }
        String type = switch (v) {
            case PyRange r -> "range_iterator";
            case List<?> l -> "list_reverseiterator";
            case Map<?, ?> m -> "dict_reversekeyiterator";
            case DictView d -> d.kind() == DictView.Kind.ITEMS ? "dict_reverseitemiterator"
                    : d.kind() == DictView.Kind.KEYS ? "dict_reversekeyiterator" : "dict_reversevalueiterator";
            case PyTuple t -> "reversed";
            case Undefined u -> "reversed";
            case null, default -> null;
        };
        if (type != null) {
            return new PyIterator(reversed(v), type, null);
        }
        if (v instanceof PyIterator it) {
            List<Object> items = Py.toList(it);
            Collections.reverse(items);
            return items;
        }
        throw new JinjaError("FilterArgumentError", "argument must be iterable");
    }

    /** Jinja's {@code make_attrgetter}: "a.b.0" looks up items (then attributes) one dotted part at a time. */
    private static Function<Object, Object> attrGetter(Object attribute, boolean ignoreCase, Object fallback) {
        List<Object> parts = attributeParts(attribute);
        return item -> {
            for (Object part : parts) {
                item = Evaluator.getItem(item, part);
                if (fallback != null && item instanceof Undefined) {
                    item = fallback;
                }
            }
            return ignoreCase ? ignoreCase(item) : item;
        };
    }

    private static List<Object> attributeParts(Object attribute) {
        List<Object> parts = new ArrayList<>();
        if (attribute == null || attribute == Args.MISSING) {
            return parts;
        }
        if (Py.isString(attribute)) {
            for (Object p : PyStrings.split(Py.asString(attribute), ".", -1)) {
                String s = (String) p;
                parts.add(!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9') ? (Object) Long.parseLong(s) : s);
            }
        } else {
            parts.add(attribute);
        }
        return parts;
    }

    private static Object ignoreCase(Object v) {
        return v instanceof String s ? PyStrings.lower(s) : v;
    }

    private static Comparator<Object> order(Function<Object, Object> key) {
        return (x, y) -> Py.sortOrder(key.apply(x), key.apply(y));
    }

    static Object dictsort(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("dictsort", "case_sensitive", "by", "reverse");
        boolean caseSensitive = Py.truthy(Args.orDefault(p[0], false));
        Object by = Args.orDefault(p[1], "key");
        boolean reverse = Py.truthy(Args.orDefault(p[2], false));
        int pos;
        if ("key".equals(Py.asString(by))) {
            pos = 0;
        } else if ("value".equals(Py.asString(by))) {
            pos = 1;
        } else {
            throw new JinjaError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new JinjaError("AttributeError", PyRepr.repr(Py.typeName(v)) + " object has no attribute 'items'");
        }
        List<Object> pairs = new DictView(DictView.Kind.ITEMS, cast(m)).items();
        Comparator<Object> c = order(item -> {
            Object x = ((PyTuple) item).items().get(pos);
            return caseSensitive ? x : ignoreCase(x);
        });
        pairs.sort(reverse ? c.reversed() : c);
        return pairs;
    }

    static Object join(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("join", "d", "attribute");
        String sep = PyRepr.str(Args.orDefault(p[0], ""));
        Iterator<Object> it = Py.iterate(v);
        Function<Object, Object> get = p[1] == Args.MISSING || p[1] == null ? Function.identity() : attrGetter(p[1], false, null);
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                sb.append(sep);
            }
            first = false;
            sb.append(PyRepr.str(get.apply(it.next())));
            PyOps.checkSize(sb.length());
        }
        return sb.toString();
    }

    static Object map(Evaluator ev, Object v, Args a) {
        Iterator<Object> source = Py.truthy(v) ? Py.iterate(v) : Collections.emptyIterator();
        Function<Object, Object> f;
        if (a.positional.isEmpty() && a.keyword.containsKey("attribute")) {
            Map<String, Object> rest = new LinkedHashMap<>(a.keyword);
            Object attribute = rest.remove("attribute");
            Object fallback = rest.remove("default");
            if (!rest.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "Unexpected keyword argument " + PyRepr.repr(rest.keySet().iterator().next()));
            }
            f = attrGetter(attribute, false, fallback);
        } else {
            if (a.positional.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "map requires a filter argument");
            }
            String name = PyRepr.str(a.positional.get(0));
            Args rest = a.dropPositional(1);
            f = item -> ev.callFilter(name, item, rest);
        }
        return PyIterator.generator(new Mapped(source, f), "sync_do_map");
    }

    static Object selectOrReject(Evaluator ev, Object v, Args a, boolean lookupAttr, boolean select, String function) {
        Iterator<Object> source = Py.truthy(v) ? Py.iterate(v) : Collections.emptyIterator();
        Function<Object, Object> transform = Function.identity();
        int off = 0;
        if (lookupAttr) {
            if (a.positional.isEmpty()) {
                throw new JinjaError("FilterArgumentError", "Missing parameter for attribute name");
            }
            transform = attrGetter(a.positional.get(0), false, null);
            off = 1;
        }
        Predicate<Object> test;
        if (a.positional.size() > off) {
            String name = PyRepr.str(a.positional.get(off));
            Args rest = a.dropPositional(off + 1);
            test = item -> ev.test(name, item, rest);
        } else {
            test = Py::truthy;
        }
        Function<Object, Object> t = transform;
        Predicate<Object> keep = item -> test.test(t.apply(item)) == select;
        return PyIterator.generator(new FilteredIterator(source, keep), function);
    }

    static Object minOrMax(Evaluator ev, Object v, Args a, String which) {
        Object[] p = a.bind(which, "case_sensitive", "attribute");
        boolean caseSensitive = Py.truthy(Args.orDefault(p[0], false));
        Iterator<Object> it = Py.iterate(v);
        if (!it.hasNext()) {
            return Undefined.withHint("No aggregated item, sequence was empty.");
        }
        Function<Object, Object> key = attrGetter(p[1], !caseSensitive, null);
        Object best = it.next();
        Object bestKey = key.apply(best);
        while (it.hasNext()) {
            Object item = it.next();
            Object k = key.apply(item);
            if (which.equals("max") ? Py.compare(">", k, bestKey) : Py.compare("<", k, bestKey)) {
                best = item;
                bestKey = k;
            }
        }
        return best;
    }

    static Object batch(Evaluator ev, Object v, Args a) {
        Object[] p = a.bindRequired("batch", 1, "linecount", "fill_with");
        long count = Py.toLong(p[0]);
        Object fill = Args.orDefault(p[1], null);
        List<Object> out = new ArrayList<>();
        List<Object> tmp = new ArrayList<>();
        for (Iterator<Object> it = Py.iterate(v); it.hasNext(); ) {
            if (tmp.size() == count) {
                out.add(tmp);
                tmp = new ArrayList<>();
            }
            tmp.add(it.next());
        }
        if (!tmp.isEmpty()) {
            while (fill != null && tmp.size() < count) {
                tmp.add(fill);
            }
            out.add(tmp);
        }
        return PyIterator.generator(out.iterator(), "do_batch");
    }

    static Object slice(Evaluator ev, Object v, Args a) {
        Object[] p = a.bindRequired("slice", 1, "slices", "fill_with");
        int slices = (int) Py.toLong(p[0]);
        Object fill = Args.orDefault(p[1], null);
        List<Object> seq = Py.toList(v);
        int perSlice = seq.size() / slices;
        int withExtra = seq.size() % slices;
        int offset = 0;
        List<Object> out = new ArrayList<>();
        for (int n = 0; n < slices; n++) {
            int start = offset + n * perSlice;
            if (n < withExtra) {
                offset++;
            }
            int end = offset + (n + 1) * perSlice;
            List<Object> tmp = new ArrayList<>(seq.subList(start, end));
            if (fill != null && n >= withExtra) {
                tmp.add(fill);
            }
            out.add(tmp);
        }
        return PyIterator.generator(out.iterator(), "sync_do_slice");
    }

    static Object sort(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("sort", "reverse", "case_sensitive", "attribute");
        boolean reverse = Py.truthy(Args.orDefault(p[0], false));
        boolean caseSensitive = Py.truthy(Args.orDefault(p[1], false));
        Object attribute = Args.orDefault(p[2], null);
        List<Function<Object, Object>> keys = new ArrayList<>();
        if (Py.isString(attribute)) {
            for (Object part : PyStrings.split(Py.asString(attribute), ",", -1)) {
                keys.add(attrGetter(part, !caseSensitive, null));
            }
        } else {
            keys.add(attrGetter(attribute, !caseSensitive, null));
        }
        Function<Object, Object> key = item -> {
            List<Object> k = new ArrayList<>(keys.size());
            for (Function<Object, Object> f : keys) {
                k.add(f.apply(item));
            }
            return k;
        };
        List<Object> items = Py.toList(v);
        Comparator<Object> c = order(key);
        items.sort(reverse ? c.reversed() : c);
        return items;
    }

    static Object sum(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("sum", "attribute", "start");
        Function<Object, Object> get = p[0] == Args.MISSING || p[0] == null ? Function.identity() : attrGetter(p[0], false, null);
        Object total = Args.orDefault(p[1], 0L);
        if (Py.isString(total)) {
            throw JinjaError.type("sum() can't sum strings [use ''.join(seq) instead]");
        }
        for (Iterator<Object> it = Py.iterate(v); it.hasNext(); ) {
            total = PyOps.binary("+", total, get.apply(it.next()));
        }
        return total;
    }

    static Object unique(Evaluator ev, Object v, Args a) {
        Object[] p = a.bind("unique", "case_sensitive", "attribute");
        boolean caseSensitive = Py.truthy(Args.orDefault(p[0], false));
        Function<Object, Object> key = attrGetter(Args.orDefault(p[1], null), !caseSensitive, null);
        Iterator<Object> source = Py.iterate(v);
        List<Object> seen = new ArrayList<>();
        return PyIterator.generator(new FilteredIterator(source, item -> {
            Object k = key.apply(item);
            Py.checkHashable(k);
            for (Object s : seen) {
                if (Py.eq(s, k)) {
                    return false;
                }
            }
            seen.add(k);
            return true;
        }), "sync_do_unique");
    }

    /** A lazy {@code map(f, source)}. */
    private record Mapped(Iterator<Object> source, Function<Object, Object> f) implements Iterator<Object> {
        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public Object next() {
            return f.apply(source.next());
        }
    }
}
