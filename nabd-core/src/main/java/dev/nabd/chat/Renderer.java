package dev.nabd.chat;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes statements into an output buffer, with Jinja's scoping (each loop iteration, macro call and
 * block body is its own scope) and its loop semantics (a for loop's else runs when no iteration ran to
 * its end). It also enforces the limits that keep a hostile or buggy template from running away: macro
 * call depth, total loop iterations and output size.
 */
final class Renderer {
    enum Flow { NORMAL, BREAK, CONTINUE }

    /**
     * What one render may use.
     *
     * @param macroDepth deepest nesting of macro calls and recursive loop calls (Python's own recursion
     *                   limit stops Jinja near 200)
     * @param iterations most loop iterations, all loops of the render together
     * @param output     longest output, in UTF-16 units
     */
    record Limits(int macroDepth, long iterations, long output) {
        static final Limits DEFAULT = new Limits(200, 10_000_000, 64L << 20);
    }

    final Evaluator ev = new Evaluator();
    private final Limits limits;
    /** Macro calls and recursive loop calls under way: either can run away. */
    private int callDepth;
    private long iterations;

    Renderer(Limits limits) {
        this.limits = limits;
    }

    void render(List<Node> body, Scope scope, StringBuilder out) {
        renderBody(body, scope, out); // the parser allows break and continue only inside a loop
    }

    private Flow renderBody(List<Node> body, Scope scope, StringBuilder out) {
        for (Node n : body) {
            Flow f;
            try {
                f = renderNode(n, scope, out);
            } catch (JinjaError e) {
                throw e.at(n.line());
            }
            if (f != Flow.NORMAL) {
                return f;
            }
        }
        return Flow.NORMAL;
    }

    private Flow renderNode(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> append(out, t.text());
            case Node.Print p -> append(out, PyRepr.str(ev.eval(p.expr(), scope)));
            case Node.If i -> {
                for (Node.Branch b : i.branches()) {
                    if (Py.truthy(ev.eval(b.test(), scope))) {
                        return renderBody(b.body(), scope, out);
                    }
                }
                return renderBody(i.otherwise(), scope, out);
            }
            case Node.For f -> {
                return loop(f, ev.eval(f.iterable(), scope), scope, out, 0);
            }
            case Node.Set s -> assign(s.target(), ev.eval(s.value(), scope), scope);
            case Node.SetBlock s -> {
                StringBuilder body = new StringBuilder();
                Flow flow = renderBody(s.body(), new Scope(scope), body);
                if (flow != Flow.NORMAL) {
                    return flow; // a break inside the block leaves the loop before the assignment, as in Jinja
                }
                Object value = s.filter() == null ? body.toString() : ev.filterBlock(s.filter(), body.toString(), scope);
                assign(s.target(), value, scope);
            }
            case Node.MacroDef m -> scope.set(m.name(), new Macro(m, scope, this));
            case Node.CallBlock c -> {
                Macro caller = new Macro(c.caller(), scope, this);
                Object callee = ev.eval(c.call().callee(), scope);
                Args args = ev.args(c.call().args(), scope);
                if (args.keyword.containsKey("caller")) {
                    throw JinjaError.type("got multiple values for keyword argument 'caller'");
                }
                Map<String, Object> keyword = new LinkedHashMap<>(args.keyword);
                keyword.put("caller", caller);
                append(out, PyRepr.str(ev.call(callee, new Args(args.positional, keyword))));
            }
            case Node.FilterBlock f -> {
                StringBuilder body = new StringBuilder();
                Flow flow = renderBody(f.body(), new Scope(scope), body);
                if (flow != Flow.NORMAL) {
                    return flow;
                }
                append(out, PyRepr.str(ev.filterBlock(f.filter(), body.toString(), scope)));
            }
            case Node.With w -> {
                Scope inner = new Scope(scope);
                Object[] values = new Object[w.values().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ev.eval(w.values().get(i), scope);
                }
                for (int i = 0; i < values.length; i++) {
                    assign(w.targets().get(i), values[i], inner);
                }
                return renderBody(w.body(), inner, out);
            }
            case Node.LoopControl l -> {
                return l.isBreak() ? Flow.BREAK : Flow.CONTINUE;
            }
            case Node.Generation g -> {
                return renderBody(g.body(), scope, out);
            }
        }
        return Flow.NORMAL;
    }

    private void append(StringBuilder out, String s) {
        out.append(s);
        if (out.length() > limits.output()) {
            throw new JinjaError("LimitError", "the rendered text passed " + limits.output() + " characters");
        }
    }

    /** One for loop over {@code iterable}; recursive loops call this again through {@code loop(...)}. */
    private Flow loop(Node.For f, Object iterable, Scope outer, StringBuilder out, int depth0) {
        Iterator<Object> items = Py.iterate(iterable);
        long knownLength = -1;
        if (f.filter() != null) {
            items = new FilteredIterator(items, candidate -> {
                Scope s = new Scope(outer);
                assign(f.target(), candidate, s);
                return Py.truthy(ev.eval(f.filter(), s));
            });
        } else if (!(iterable instanceof PyIterator)) {
            knownLength = Py.len(iterable);
        }
        LoopContext loop = new LoopContext(items, knownLength, depth0, f.recursive() ? (inner, depth) -> {
            enterCall("a recursive for loop");
            try {
                StringBuilder sb = new StringBuilder();
                loop(f, inner, outer, sb, depth);
                return sb.toString();
            } finally {
                callDepth--;
            }
        } : null);
        boolean completed = false;
        while (loop.hasNext()) {
            Object item = loop.next();
            if (++iterations > limits.iterations()) {
                throw new JinjaError("LimitError", "the template ran more than " + limits.iterations()
                        + " loop iterations (a runaway loop?)");
            }
            Scope s = new Scope(outer);
            assign(f.target(), item, s);
            s.set("loop", loop);
            Flow flow = renderBody(f.body(), s, out);
            if (flow == Flow.BREAK) {
                break;
            }
            if (flow == Flow.NORMAL) {
                completed = true;
            }
        }
        if (!completed && !f.otherwise().isEmpty()) {
            return renderBody(f.otherwise(), new Scope(outer), out);
        }
        return Flow.NORMAL;
    }

    void assign(Node.Target target, Object value, Scope scope) {
        switch (target) {
            case Node.NameTarget n -> scope.set(n.name(), value);
            case Node.NamespaceTarget t -> {
                Object ns = scope.get(t.namespace());
                if (!(ns instanceof Namespace namespace)) {
                    throw JinjaError.runtime("cannot assign attribute on non-namespace object").at(t.line());
                }
                namespace.attributes.put(t.attribute(), value);
            }
            case Node.TupleTarget t -> {
                if (!(value instanceof List || value instanceof PyTuple || Py.isString(value) || value instanceof Map
                        || value instanceof DictView || value instanceof PyIterator || value instanceof Undefined)) {
                    throw JinjaError.type("cannot unpack non-iterable " + Py.typeName(value) + " object");
                }
                List<Object> items = Py.toList(value);
                int want = t.items().size();
                if (items.size() > want) {
                    throw JinjaError.value("too many values to unpack (expected " + want + ")");
                }
                if (items.size() < want) {
                    throw JinjaError.value("not enough values to unpack (expected " + want + ", got " + items.size() + ")");
                }
                for (int i = 0; i < want; i++) {
                    assign(t.items().get(i), items.get(i), scope);
                }
            }
        }
    }

    /** Calls a macro with Jinja's argument rules (positional, then keywords, caller, varargs, kwargs). */
    Object callMacro(Macro macro, Args args) {
        Node.MacroDef def = macro.definition;
        String displayName = PyRepr.repr(def.name());
        List<Node.Param> params = def.params();
        int count = params.size();
        Map<String, Object> kwargs = new LinkedHashMap<>(args.keyword);
        Object[] values = new Object[count];
        int given = Math.min(args.positional.size(), count);
        boolean foundCaller = false;
        for (int i = 0; i < count; i++) {
            if (i < given) {
                values[i] = args.positional.get(i);
            } else {
                String name = params.get(i).name();
                values[i] = kwargs.containsKey(name) ? kwargs.remove(name) : Args.MISSING;
                foundCaller |= name.equals("caller");
            }
        }
        if (given == count) {
            foundCaller = params.stream().anyMatch(p -> p.name().equals("caller"));
        }
        Object caller = Args.MISSING;
        if (def.usesCaller() && !foundCaller) {
            caller = kwargs.remove("caller");
            if (caller == null) {
                caller = Undefined.withHint("No caller defined");
            }
        }
        if (!def.usesKwargs() && !kwargs.isEmpty()) {
            if (kwargs.containsKey("caller")) {
                throw JinjaError.type("macro " + displayName + " was invoked with two values for the special caller argument."
                        + " This is most likely a bug.");
            }
            throw JinjaError.type("macro " + displayName + " takes no keyword argument "
                    + PyRepr.repr(kwargs.keySet().iterator().next()));
        }
        if (!def.usesVarargs() && args.positional.size() > count) {
            throw JinjaError.type("macro " + displayName + " takes not more than " + count + " argument(s)");
        }
        Scope scope = new Scope(macro.closure);
        for (int i = 0; i < count; i++) {
            if (values[i] != Args.MISSING) {
                scope.set(params.get(i).name(), values[i]);
            }
        }
        enterCall("macro " + displayName);
        try {
            for (int i = 0; i < count; i++) {
                if (values[i] == Args.MISSING) {
                    Node.Param p = params.get(i);
                    scope.set(p.name(), p.defaultValue() != null ? ev.eval(p.defaultValue(), scope)
                            : Undefined.withHint("parameter " + PyRepr.repr(p.name()) + " was not provided"));
                }
            }
            if (caller != Args.MISSING) {
                scope.set("caller", caller);
            }
            if (def.usesKwargs()) {
                scope.set("kwargs", new LinkedHashMap<Object, Object>(kwargs));
            }
            if (def.usesVarargs()) {
                scope.set("varargs", new PyTuple(args.positional.subList(given, args.positional.size())));
            }
            StringBuilder out = new StringBuilder();
            render(def.body(), scope, out);
            return out.toString();
        } finally {
            callDepth--;
        }
    }

    /** Counts one more nested macro or recursive loop call, failing with the culprit's name past the limit. */
    private void enterCall(String what) {
        if (callDepth >= limits.macroDepth()) {
            throw new JinjaError("RecursionError", "calls nested more than " + limits.macroDepth()
                    + " deep (runaway recursion in " + what + ")");
        }
        callDepth++;
    }
}
