package dev.nabd.chat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The {@code loop} variable of a for loop, as Jinja's {@code LoopContext}: index, first, last, length,
 * previtem, nextitem, cycle, changed, and for a recursive loop, calling it renders the body again.
 * {@code last} and {@code nextitem} look one item ahead; {@code length} of a filtered loop reads the rest.
 */
final class LoopContext {
    private static final Object NONE = new Object();

    private Iterator<Object> iterator;
    private final long knownLength;
    private Object after = NONE;
    private boolean peeked;
    private int index0 = -1;
    private Object current = NONE;
    private Object before = NONE;
    private long length = -1;
    private List<Object> lastChanged;
    final int depth0;
    /** Renders the loop body over another iterable (recursive loops), or {@code null}. */
    private final BiFunction<Object, Integer, String> recurse;

    LoopContext(Iterator<Object> iterator, long knownLength, int depth0, BiFunction<Object, Integer, String> recurse) {
        this.iterator = iterator;
        this.knownLength = knownLength;
        this.depth0 = depth0;
        this.recurse = recurse;
    }

    boolean hasNext() {
        return peeked ? after != NONE : iterator.hasNext();
    }

    Object next() {
        Object rv;
        if (peeked) {
            rv = after;
            peeked = false;
            after = NONE;
        } else {
            rv = iterator.next();
        }
        index0++;
        before = current;
        current = rv;
        return rv;
    }

    private Object peek() {
        if (!peeked) {
            after = iterator.hasNext() ? iterator.next() : NONE;
            peeked = true;
        }
        return after;
    }

    long index() {
        return index0 + 1L;
    }

    long length() {
        if (length < 0) {
            if (knownLength >= 0) {
                length = knownLength;
            } else {
                List<Object> rest = new ArrayList<>();
                iterator.forEachRemaining(rest::add);
                iterator = rest.iterator();
                length = rest.size() + index() + (peeked && after != NONE ? 1 : 0);
            }
        }
        return length;
    }

    /** {@code loop.name}, or {@link Args#MISSING} when a loop has no such attribute. */
    Object attribute(String name) {
        return switch (name) {
            case "index0" -> (long) index0;
            case "index" -> index();
            case "revindex0" -> length() - index();
            case "revindex" -> length() - index0;
            case "first" -> index0 == 0;
            case "last" -> peek() == NONE;
            case "length" -> length();
            case "depth0" -> (long) depth0;
            case "depth" -> depth0 + 1L;
            case "previtem" -> index0 == 0 ? Undefined.withHint("there is no previous item") : before;
            case "nextitem" -> peek() == NONE ? Undefined.withHint("there is no next item") : peek();
            case "cycle" -> new Methods.BoundMethod(this, "cycle", this::cycle);
            case "changed" -> new Methods.BoundMethod(this, "changed", this::changed);
            default -> Args.MISSING;
        };
    }

    private Object cycle(Args args) {
        if (!args.keyword.isEmpty()) {
            throw JinjaError.type("cycle() got an unexpected keyword argument");
        }
        if (args.positional.isEmpty()) {
            throw JinjaError.type("no items for cycling given");
        }
        return args.positional.get(index0 % args.positional.size());
    }

    private Object changed(Args args) {
        List<Object> value = args.positional;
        if (lastChanged == null || !Py.eq(new PyTuple(lastChanged), new PyTuple(value))) {
            lastChanged = value;
            return true;
        }
        return false;
    }

    /** {@code loop(children)} in a recursive loop. */
    Object call(Args args) {
        if (recurse == null) {
            throw JinjaError.type("The loop must have the 'recursive' marker to be called recursively.");
        }
        Object[] a = args.bindRequired("loop", 1, "iterable");
        return recurse.apply(a[0], depth0 + 1);
    }
}
