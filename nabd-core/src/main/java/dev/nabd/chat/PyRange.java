package dev.nabd.chat;

import java.util.AbstractList;

/** Python's {@code range}: a lazy list of integers, printed as {@code range(0, 3)}. */
final class PyRange extends AbstractList<Object> {
    final long start;
    final long stop;
    final long step;
    private final int size;

    PyRange(long start, long stop, long step) {
        if (step == 0) {
            throw JinjaError.value("range() arg 3 must not be zero");
        }
        this.start = start;
        this.stop = stop;
        this.step = step;
        long n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        // the sandbox refuses ranges longer than MAX_RANGE, exactly as Jinja's safe_range does
        if (n > 100_000) {
            throw new JinjaError("OverflowError",
                    "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
        }
        this.size = (int) Math.max(0, n);
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return start + index * step;
    }

    @Override
    public int size() {
        return size;
    }

    String repr() {
        return step == 1 ? "range(" + start + ", " + stop + ")" : "range(" + start + ", " + stop + ", " + step + ")";
    }
}
