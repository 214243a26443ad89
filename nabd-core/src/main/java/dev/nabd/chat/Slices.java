package dev.nabd.chat;

/** Python's {@code slice.indices}: the start, stop, step and length a slice selects in a sequence. */
final class Slices {
    private Slices() {
    }

    /** Returns {start, stop, step, count}: iterate {@code count} items from {@code start} by {@code step}. */
    static int[] indices(int length, Long startArg, Long stopArg, Long stepArg) {
        long step = stepArg == null ? 1 : stepArg;
        if (step == 0) {
            throw JinjaError.value("slice step cannot be zero");
        }
        long lower = step < 0 ? -1 : 0;
        long upper = step < 0 ? length - 1 : length;
        long start = startArg == null ? (step < 0 ? upper : lower) : clamp(startArg, length, lower, upper);
        long stop = stopArg == null ? (step < 0 ? lower : upper) : clamp(stopArg, length, lower, upper);
        long count;
        if (step > 0) {
            count = start < stop ? (stop - start + step - 1) / step : 0;
        } else {
            count = stop < start ? (start - stop - step - 1) / -step : 0;
        }
        return new int[] {(int) start, (int) stop, (int) step, (int) count};
    }

    private static long clamp(long v, int length, long lower, long upper) {
        if (v < 0) {
            v += length;
            return Math.max(v, lower);
        }
        return Math.min(v, upper);
    }
}
