package dev.nabd.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram in the Prometheus style: cumulative counts of observations at or below each
 * upper bound, their count and their sum. Thread-safe, and recording allocates nothing.
 */
public final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;   // per bucket, not cumulative; the last is +Inf
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    /** @param bounds upper bounds, ascending */
    public Histogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must ascend");
            }
        }
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    public void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        count.increment();
        sum.add(value);
    }

    /** Upper bounds, without +Inf. */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Observations at or below each bound, then the total (+Inf): Prometheus' cumulative buckets. */
    public long[] cumulativeCounts() {
        long[] out = new long[bounds.length + 1];
        long running = 0;
        for (int i = 0; i < out.length; i++) {
            running += counts.get(i);
            out[i] = running;
        }
        return out;
    }

    public long count() {
        return count.sum();
    }

    public double sum() {
        return sum.sum();
    }
}
