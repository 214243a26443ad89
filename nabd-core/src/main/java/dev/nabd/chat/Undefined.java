package dev.nabd.chat;

/**
 * Jinja's default {@code Undefined}: what a missing variable, key or attribute evaluates to. As in
 * Jinja 3.1 it prints as nothing, is false, has length 0 and iterates as empty; arithmetic, comparison
 * ({@code <}), calling it, or taking an attribute or item of it fails with the message Jinja gives.
 */
final class Undefined {
    private static final Object NO_OBJECT = new Object();

    private final String hint;
    private final Object owner;
    private final Object name;
    private final String errorKind;

    private Undefined(String hint, Object owner, Object name, String errorKind) {
        this.hint = hint;
        this.owner = owner;
        this.name = name;
        this.errorKind = errorKind;
    }

    /** A variable that no scope defines. */
    static Undefined variable(String name) {
        return new Undefined(null, NO_OBJECT, name, "UndefinedError");
    }

    /** A missing attribute or item {@code name} of {@code owner}. */
    static Undefined member(Object owner, Object name) {
        return new Undefined(null, owner, name, "UndefinedError");
    }

    /** An undefined value that explains itself ("No first item, sequence was empty."). */
    static Undefined withHint(String hint) {
        return new Undefined(hint, NO_OBJECT, null, "UndefinedError");
    }

    /** An attribute the sandbox refuses (a list's {@code append}): using it raises a SecurityError. */
    static Undefined unsafe(Object owner, String attribute) {
        return new Undefined("access to attribute " + PyRepr.repr(attribute) + " of "
                + PyRepr.repr(Py.typeName(owner)) + " object is unsafe.", owner, attribute, "SecurityError");
    }

    String message() {
        if (hint != null) {
            return hint;
        }
        if (owner == NO_OBJECT) {
            return PyRepr.repr(name) + " is undefined";
        }
        if (!(name instanceof String)) {
            return objectTypeRepr(owner) + " has no element " + PyRepr.repr(name);
        }
        return PyRepr.repr(objectTypeRepr(owner)) + " has no attribute " + PyRepr.repr(name);
    }

    /** The error Jinja raises when this value is used in a way that needs a real one. */
    JinjaError fail() {
        return new JinjaError(errorKind, message());
    }

    private static String objectTypeRepr(Object o) {
        if (o == null) {
            return "None";
        }
        String module = Py.moduleOf(o);
        return (module.isEmpty() ? "" : module + ".") + Py.typeName(o) + " object";
    }

    @Override
    public boolean equals(Object o) {
        // Python: Undefined.__eq__ is "same type", so every undefined equals every other
        return o instanceof Undefined;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "Undefined";
    }
}
