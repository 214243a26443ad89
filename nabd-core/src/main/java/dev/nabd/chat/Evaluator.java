package dev.nabd.chat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates expressions with Jinja's sandboxed semantics: {@code a.b} tries the Python attribute then
 * the item, {@code a[b]} the item then the attribute, and a miss gives an {@link Undefined} that only
 * fails when it is used. Errors get the line of the innermost expression they pass through.
 */
final class Evaluator {
    /** {@code a[start:stop:step]} before it is applied (bounds are unchecked values). */
    record SliceKey(Object start, Object stop, Object step) {
    }

    Object eval(Expr e, Scope scope) {
        try {
            return switch (e) {
                case Expr.Const c -> c.value();
                case Expr.Name n -> {
                    Object v = scope.get(n.name());
                    yield v == Args.MISSING ? Undefined.variable(n.name()) : v;
                }
                case Expr.GetAttr g -> getAttr(eval(g.object(), scope), g.name());
                case Expr.GetItem g when g.key() instanceof Expr.Slice k -> slice(eval(g.object(), scope), (SliceKey) eval(k, scope));
                case Expr.GetItem g -> getItem(eval(g.object(), scope), eval(g.key(), scope));
                case Expr.Slice s -> new SliceKey(evalOrNull(s.start(), scope), evalOrNull(s.stop(), scope),
                        evalOrNull(s.step(), scope));
                case Expr.Call c -> call(eval(c.callee(), scope), args(c.args(), scope));
                case Expr.Filter f -> filter(f, f.value() == null ? null : eval(f.value(), scope), scope);
                case Expr.Test t -> test(t.name(), eval(t.value(), scope), args(t.args(), scope));
                case Expr.Not n -> !Py.truthy(eval(n.operand(), scope));
                case Expr.And a -> {
                    Object left = eval(a.left(), scope);
                    yield Py.truthy(left) ? eval(a.right(), scope) : left;
                }
                case Expr.Or o -> {
                    Object left = eval(o.left(), scope);
                    yield Py.truthy(left) ? left : eval(o.right(), scope);
                }
                case Expr.Conditional c -> {
                    if (Py.truthy(eval(c.test(), scope))) {
                        yield eval(c.then(), scope);
                    }
                    yield c.otherwise() != null ? eval(c.otherwise(), scope)
                            : Undefined.withHint("the inline if-expression on line " + c.line()
                                    + " evaluated to false and no else section was defined.");
                }
                case Expr.Binary b -> PyOps.binary(b.op(), eval(b.left(), scope), eval(b.right(), scope));
                case Expr.Unary u -> u.op().equals("-") ? PyOps.negate(eval(u.operand(), scope)) : PyOps.plus(eval(u.operand(), scope));
                case Expr.Concat c -> {
                    StringBuilder sb = new StringBuilder();
                    for (Expr part : c.parts()) {
                        sb.append(PyRepr.str(eval(part, scope)));
                        PyOps.checkSize(sb.length());
                    }
                    yield sb.toString();
                }
                case Expr.Compare c -> compare(c, scope);
                case Expr.ListLiteral l -> {
                    List<Object> out = new ArrayList<>(l.items().size());
                    for (Expr item : l.items()) {
                        out.add(eval(item, scope));
                    }
                    yield out;
                }
                case Expr.TupleLiteral t -> {
                    List<Object> out = new ArrayList<>(t.items().size());
                    for (Expr item : t.items()) {
                        out.add(eval(item, scope));
                    }
                    yield new PyTuple(out);
                }
                case Expr.DictLiteral d -> {
                    Map<Object, Object> out = new LinkedHashMap<>();
                    for (Expr.Pair p : d.pairs()) {
                        Py.dictPut(out, eval(p.key(), scope), eval(p.value(), scope));
                    }
                    yield out;
                }
            };
        } catch (JinjaError err) {
            throw err.at(e.line());
        }
    }

    private Object evalOrNull(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private Object compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (Expr.Operand o : c.rest()) {
            Object right = eval(o.value(), scope);
            boolean ok = switch (o.op()) {
                case "==" -> Py.eq(left, right);
                case "!=" -> !Py.eq(left, right);
                case "in" -> Py.contains(right, left);
                case "notin" -> !Py.contains(right, left);
                default -> Py.compare(o.op(), left, right);
            };
            if (!ok) {
                return false;
            }
            left = right;
        }
        return true;
    }

    Args args(Expr.CallArgs a, Scope scope) {
        if (a.positional().isEmpty() && a.keywords().isEmpty() && a.starArgs() == null && a.starKwargs() == null) {
            return Args.NONE;
        }
        List<Object> positional = new ArrayList<>(a.positional().size());
        for (Expr e : a.positional()) {
            positional.add(eval(e, scope));
        }
        Map<String, Object> keyword = new LinkedHashMap<>();
        for (Expr.Keyword k : a.keywords()) {
            keyword.put(k.name(), eval(k.value(), scope));
        }
        if (a.starArgs() != null) {
            Iterator<Object> it = Py.iterate(eval(a.starArgs(), scope));
            it.forEachRemaining(positional::add);
        }
        if (a.starKwargs() != null) {
            Object kw = eval(a.starKwargs(), scope);
            if (!(kw instanceof Map<?, ?> m)) {
                throw JinjaError.type("argument after ** must be a mapping, not " + Py.typeName(kw));
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!Py.isString(e.getKey())) {
                    throw JinjaError.type("keywords must be strings");
                }
                if (keyword.put(Py.asString(e.getKey()), e.getValue()) != null) {
                    throw JinjaError.type("got multiple values for keyword argument " + PyRepr.repr(e.getKey()));
                }
            }
        }
        return new Args(positional, keyword);
    }

    private Object filter(Expr.Filter f, Object value, Scope scope) {
        return callFilter(f.name(), value, args(f.args(), scope));
    }

    /** Applies a chain of filters whose innermost value is the rendered body of a block. */
    Object filterBlock(Expr chain, String body, Scope scope) {
        if (!(chain instanceof Expr.Filter f)) {
            throw new IllegalStateException("not a filter: " + chain);
        }
        try {
            Object value = f.value() == null ? body : filterBlock(f.value(), body, scope);
            return callFilter(f.name(), value, args(f.args(), scope));
        } catch (JinjaError err) {
            throw err.at(f.line());
        }
    }

    Object callFilter(String name, Object value, Args args) {
        return Filters.apply(this, name, value, args);
    }

    boolean test(String name, Object value, Args args) {
        return Tests.apply(this, name, value, args);
    }

    Object call(Object callee, Args args) {
        return switch (callee) {
            case Undefined u -> throw u.fail();
            case JinjaCallable c -> c.call(args);
            case LoopContext l -> l.call(args);
            case Globals.Joiner j -> j.call(args);
            case null, default -> throw JinjaError.type(PyRepr.repr(Py.typeName(callee)) + " object is not callable");
        };
    }

    /** {@code obj.name}: the Python attribute (a method, a loop property, a namespace entry), else the item. */
    static Object getAttr(Object obj, String name) {
        if (name.startsWith("__")) {
            return Undefined.unsafe(obj, name); // Python internals are off limits in the sandbox
        }
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object attr = Methods.attribute(obj, name);
        if (attr != Args.MISSING) {
            return attr;
        }
        if (obj instanceof Map<?, ?> m) {
            Object v = Py.dictGet(m, name);
            if (v != Args.MISSING) {
                return v;
            }
        }
        return Undefined.member(obj, name);
    }

    /** {@code obj[key]}: the item (index, slice or key), else for a string key the attribute. */
    static Object getItem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object item = item(obj, key);
        if (item != Args.MISSING) {
            return item;
        }
        if (key instanceof String s) {
            Object attr = Methods.attribute(obj, s);
            if (attr != Args.MISSING) {
                return attr;
            }
        }
        return Undefined.member(obj, key);
    }

    /** Python's {@code obj[key]}, or MISSING where Python raises KeyError, IndexError or TypeError. */
    private static Object item(Object obj, Object key) {
        if (obj instanceof Map<?, ?> m) {
            if (key instanceof List || key instanceof Map) {
                return Args.MISSING; // unhashable: TypeError, which Jinja turns into undefined
            }
            return Py.dictGet(m, key);
        }
        String s = Py.asString(obj);
        if (s != null) {
            if (!Py.isInt(key)) {
                return Args.MISSING;
            }
            String c = PyStrings.charAt(s, Py.toLong(key));
            return c == null ? Args.MISSING : c;
        }
        List<?> list = obj instanceof PyTuple t ? t.items() : obj instanceof List<?> l ? l : null;
        if (list == null) {
            return Args.MISSING;
        }
        if (!Py.isInt(key)) {
            return Args.MISSING;
        }
        long i = Py.toLong(key);
        if (i < 0) {
            i += list.size();
        }
        return i < 0 || i >= list.size() ? Args.MISSING : list.get((int) i);
    }

    /**
     * {@code obj[start:stop:step]}. Jinja compiles slices to plain Python subscripts (they bypass its
     * getitem), so a bad slice is an error here, never an undefined value.
     */
    static Object slice(Object obj, SliceKey k) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        if (obj instanceof Map) {
            throw JinjaError.type("unhashable type: 'slice'");
        }
        String s = Py.asString(obj);
        List<?> list = obj instanceof PyTuple t ? t.items() : obj instanceof List<?> l ? l : null;
        if (s == null && list == null) {
            throw JinjaError.type(PyRepr.repr(Py.typeName(obj)) + " object is not subscriptable");
        }
        Object[] raw = {k.start(), k.stop(), k.step()};
        Long[] b = new Long[3];
        for (int i = 0; i < 3; i++) {
            if (raw[i] != null) {
                if (!Py.isInt(raw[i])) {
                    throw JinjaError.type("slice indices must be integers or None or have an __index__ method");
                }
                b[i] = Py.toLong(raw[i]);
            }
        }
        if (s != null) {
            String r = PyStrings.slice(s, b[0], b[1], b[2]);
            return obj instanceof Markup ? new Markup(r) : r;
        }
        int[] idx = Slices.indices(list.size(), b[0], b[1], b[2]);
        if (obj instanceof PyRange r) {
            long step = r.step * idx[2];
            long start = r.start + r.step * idx[0];
            return new PyRange(start, start + step * idx[3], step);
        }
        List<Object> out = new ArrayList<>(idx[3]);
        for (int n = 0, i = idx[0]; n < idx[3]; n++, i += idx[2]) {
            out.add(list.get(i));
        }
        return obj instanceof PyTuple ? new PyTuple(out) : out;
    }
}
