package dev.nabd.chat;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The items of another iterator that pass a test, taken one at a time as Jinja's generators do: the
 * {@code select}-style filters and {@code for x in xs if cond}.
 */
final class FilteredIterator implements Iterator<Object> {
    private final Iterator<Object> source;
    private final Predicate<Object> keep;
    private Object next = Args.MISSING;

    FilteredIterator(Iterator<Object> source, Predicate<Object> keep) {
        this.source = source;
        this.keep = keep;
    }

    @Override
    public boolean hasNext() {
        while (next == Args.MISSING && source.hasNext()) {
            Object candidate = source.next();
            if (keep.test(candidate)) {
                next = candidate;
            }
        }
        return next != Args.MISSING;
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object v = next;
        next = Args.MISSING;
        return v;
    }
}
