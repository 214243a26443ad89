package dev.nabd.chat;

import java.util.List;
import java.util.Map;

/** The arguments of one call, positional then keyword, bound to parameter names as Python binds them. */
final class Args {
    /** Marks a parameter the call did not give. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    static final Args NONE = new Args(List.of(), Map.of());

    final List<Object> positional;
    final Map<String, Object> keyword;

    Args(List<Object> positional, Map<String, Object> keyword) {
        this.positional = positional;
        this.keyword = keyword;
    }

    static Args of(Object... positional) {
        return new Args(List.of(positional), Map.of());
    }

    boolean isEmpty() {
        return positional.isEmpty() && keyword.isEmpty();
    }

    /**
     * Binds the arguments to {@code names} in order; a parameter not given is {@link #MISSING}. Too many
     * arguments, an unknown keyword or one given twice fail as Python's TypeError.
     */
    Object[] bind(String function, String... names) {
        if (positional.size() > names.length) {
            throw JinjaError.type(function + "() takes at most " + names.length + " argument"
                    + (names.length == 1 ? "" : "s") + " (" + positional.size() + " given)");
        }
        Object[] out = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = i < positional.size() ? positional.get(i) : MISSING;
        }
        for (Map.Entry<String, Object> e : keyword.entrySet()) {
            int at = indexOf(names, e.getKey());
            if (at < 0) {
                throw JinjaError.type(function + "() got an unexpected keyword argument " + PyRepr.repr(e.getKey()));
            }
            if (out[at] != MISSING) {
                throw JinjaError.type(function + "() got multiple values for argument " + PyRepr.repr(e.getKey()));
            }
            out[at] = e.getValue();
        }
        return out;
    }

    /** Like {@link #bind} but also requires the first {@code required} parameters. */
    Object[] bindRequired(String function, int required, String... names) {
        Object[] out = bind(function, names);
        for (int i = 0; i < required; i++) {
            if (out[i] == MISSING) {
                throw JinjaError.type(function + "() missing required argument " + PyRepr.repr(names[i]));
            }
        }
        return out;
    }

    /** The arguments without the first {@code n} positional ones. */
    Args dropPositional(int n) {
        return new Args(positional.subList(Math.min(n, positional.size()), positional.size()), keyword);
    }

    static Object orDefault(Object bound, Object fallback) {
        return bound == MISSING ? fallback : bound;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
