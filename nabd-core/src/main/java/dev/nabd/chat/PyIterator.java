package dev.nabd.chat;

import java.util.Iterator;

/**
 * A Python generator or iterator, as {@code map}, {@code select}, {@code reverse} and friends return
 * them: it can be iterated once, is always true (even when empty), and has no length. Templates that
 * forget {@code |list} behave here exactly as they do in Python.
 */
final class PyIterator implements Iterator<Object> {
    private final Iterator<?> source;
    /** Python's type name, e.g. {@code generator} or {@code list_reverseiterator}. */
    final String typeName;
    /** The generator's function name as Python prints it, e.g. {@code sync_do_map}. */
    final String function;

    PyIterator(Iterator<?> source, String typeName, String function) {
        this.source = source;
        this.typeName = typeName;
        this.function = function;
    }

    static PyIterator generator(Iterator<?> source, String function) {
        return new PyIterator(source, "generator", function);
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public Object next() {
        return source.next();
    }

    String repr() {
        String address = String.format("0x%012x", System.identityHashCode(this));
        return typeName.equals("generator")
                ? "<generator object " + function + " at " + address + ">"
                : "<" + typeName + " object at " + address + ">";
    }
}
