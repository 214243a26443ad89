package dev.nabd.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. A for-loop iteration, a macro call and a block body each
 * open a child scope, so {@code set} inside them never leaks out (Jinja's scoping rule), while reads
 * walk up to the parent.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    /** The value of {@code name}, or {@link Args#MISSING}. */
    Object get(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v != null || s.vars.containsKey(name)) {
                return v;
            }
        }
        return Args.MISSING;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
