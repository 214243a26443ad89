package dev.nabd.chat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The global functions a chat template can call: Jinja's {@code range}, {@code dict}, {@code namespace},
 * {@code cycler} and {@code joiner}, plus the two transformers adds, {@code raise_exception(msg)} and
 * {@code strftime_now(fmt)}.
 */
final class Globals {
    private Globals() {
    }

    /** A named built-in function. */
    record Builtin(String name, Function<Args, Object> body) implements JinjaCallable {
        @Override
        public Object call(Args args) {
            return body.apply(args);
        }
    }

    /** The outermost scope of a render. */
    static Scope scope(Clock clock) {
        Scope s = new Scope(null);
        s.set("range", new Builtin("safe_range", Globals::range));
        s.set("dict", new Builtin("dict", Globals::dict));
        s.set("namespace", new Builtin("Namespace", Globals::namespace));
        s.set("cycler", new Builtin("Cycler", a -> new Cycler(a.positional)));
        s.set("joiner", new Builtin("Joiner", a -> new Joiner(PyRepr.str(Args.orDefault(a.bind("joiner", "sep")[0], ", ")))));
        s.set("lipsum", new Builtin("generate_lorem_ipsum", a -> {
            throw JinjaError.runtime("lipsum() is not supported by nabd's chat templates");
        }));
        s.set("raise_exception", new Builtin("raise_exception", a ->  {
            Object message = a.bindRequired("raise_exception", 1, "message")[0];
            throw JinjaError.raisedByTemplate(PyRepr.str(message));
        }));
        s.set("strftime_now", new Builtin("strftime_now", a -> {
            Object format = a.bindRequired("strftime_now", 1, "format")[0];
            if (!Py.isString(format)) {
                throw JinjaError.type("strftime() argument 1 must be str, not " + Py.typeName(format));
            }
            return Strftime.format(Py.asString(format), LocalDateTime.now(clock));
        }));
        return s;
    }

    private static Object range(Args a) {
        if (!a.keyword.isEmpty()) {
            throw JinjaError.type("range() takes no keyword arguments");
        }
        List<Object> p = a.positional;
        if (p.isEmpty() || p.size() > 3) {
            throw JinjaError.type("range expected " + (p.isEmpty() ? "at least 1 argument, got 0" : "at most 3 arguments, got " + p.size()));
        }
        long[] v = new long[p.size()];
        for (int i = 0; i < v.length; i++) {
            if (!Py.isInt(p.get(i))) {
                throw JinjaError.type(PyRepr.repr(Py.typeName(p.get(i))) + " object cannot be interpreted as an integer");
            }
            v[i] = Py.toLong(p.get(i));
        }
        return switch (v.length) {
            case 1 -> new PyRange(0, v[0], 1);
            case 2 -> new PyRange(v[0], v[1], 1);
            default -> new PyRange(v[0], v[1], v[2]);
        };
    }

    /** Python's {@code dict(mapping_or_pairs, **kwargs)}. */
    private static Object dict(Args a) {
        Map<Object, Object> out = new LinkedHashMap<>();
        if (a.positional.size() > 1) {
            throw JinjaError.type("dict expected at most 1 argument, got " + a.positional.size());
        }
        if (a.positional.size() == 1) {
            Object src = a.positional.get(0);
            if (src instanceof Map<?, ?> m) {
                out.putAll(m);
            } else {
                for (Iterator<Object> it = Py.iterate(src); it.hasNext(); ) {
                    List<Object> pair = Py.toList(it.next());
                    if (pair.size() != 2) {
                        throw JinjaError.value("dictionary update sequence element has length " + pair.size() + "; 2 is required");
                    }
                    Py.checkHashable(pair.get(0));
                    out.put(pair.get(0), pair.get(1));
                }
            }
        }
        out.putAll(a.keyword);
        return out;
    }

    private static Object namespace(Args a) {
        Namespace ns = new Namespace();
        Map<?, ?> init = (Map<?, ?>) dict(a);
        for (Map.Entry<?, ?> e : init.entrySet()) {
            ns.attributes.put(PyRepr.str(e.getKey()), e.getValue());
        }
        return ns;
    }

    /** {@code cycler(a, b, c)}: {@code next()} returns the items in turn. */
    static final class Cycler {
        private final List<Object> items;
        private int pos;

        Cycler(List<Object> items) {
            if (items.isEmpty()) {
                throw JinjaError.runtime("at least one item has to be provided");
            }
            this.items = new ArrayList<>(items);
        }

        Object attribute(String name) {
            return switch (name) {
                case "current" -> items.get(pos);
                case "next" -> new Methods.BoundMethod(this, name, a -> {
                    Object rv = items.get(pos);
                    pos = (pos + 1) % items.size();
                    return rv;
                });
                case "reset" -> new Methods.BoundMethod(this, name, a -> {
                    pos = 0;
                    return null;
                });
                default -> Args.MISSING;
            };
        }
    }

    /** {@code joiner(sep)}: calling it gives "" the first time and {@code sep} after. */
    static final class Joiner {
        private final String sep;
        private boolean used;

        Joiner(String sep) {
            this.sep = sep;
        }

        Object call(Args a) {
            if (!used) {
                used = true;
                return "";
            }
            return sep;
        }
    }
}
