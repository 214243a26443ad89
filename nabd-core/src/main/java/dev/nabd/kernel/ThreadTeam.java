package dev.nabd.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that run one data-parallel step at a time: the caller and {@code size - 1}
 * workers each execute {@code task.run(index, size)} and the call returns when all have finished.
 *
 * <p>Steps are short (one matrix product, one attention pass), so hand-off latency matters more than
 * fairness: workers spin briefly on a generation counter before parking, and the caller spins for the
 * stragglers. The common ForkJoinPool is never used, so nothing else in the JVM can steal these cores.
 */
public final class ThreadTeam implements AutoCloseable {

    /** One step of work, split by the receiver's {@code index} among {@code size} participants. */
    @FunctionalInterface
    public interface Task {
        void run(int index, int size);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;

    private final int size;
    private final Thread[] workers;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** Starts a team of {@code size} participants (the caller counts as one). */
    public ThreadTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a thread team needs at least one thread, not " + size);
        }
        this.size = size;
        this.workers = new Thread[size - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("nabd-worker-" + index).unstarted(() -> workLoop(index));
            workers[i].start();
        }
    }

    /** Number of participants, the caller included. */
    public int size() {
        return size;
    }

    /** Runs {@code t} on every participant and waits for all of them. Not reentrant. */
    public void run(Task t) {
        if (size == 1) {
            t.run(0, 1);
            return;
        }
        if (closed) {
            throw new IllegalStateException("thread team is closed");
        }
        task = t;
        failure = null;
        pending.set(workers.length);
        generation.incrementAndGet();
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            t.run(0, size);
        } catch (Throwable e) {
            own = e;
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        task = null;
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error err) {
            throw err;
        } else if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    /**
     * Rows of per-row work (quantising activations, RoPE and cache stores, SwiGLU) from which a batch is
     * split over the team rather than done by the caller: below it the meeting costs about what it saves.
     */
    public static final int SPLIT_ROWS = 8;

    /**
     * One float array of {@code n} values per worker, each followed by 128 unused bytes. Arrays allocated
     * one after another lie side by side in the heap, and two workers writing their own small arrays would
     * otherwise write the cache line at each boundary in turn (false sharing): attention's per-worker
     * scores and softmax sums, written for every row and head, took twice the time on two threads.
     */
    public static float[][] perWorker(int workers, int n) {
        float[][] a = new float[workers][];
        for (int i = 0; i < workers; i++) {
            a[i] = new float[n + 32];
        }
        return a;
    }

    /** {@link #perWorker(int, int)} for int arrays. */
    public static int[][] perWorkerInts(int workers, int n) {
        int[][] a = new int[workers][];
        for (int i = 0; i < workers; i++) {
            a[i] = new int[n + 32];
        }
        return a;
    }

    /** Splits {@code [0, n)} into {@code size} contiguous ranges; returns the start of range {@code index}. */
    public static int rangeStart(int n, int index, int size) {
        return (int) ((long) n * index / size);
    }

    private void workLoop(int index) {
        int seen = 0;
        while (true) {
            int spins = 0;
            int g;
            while ((g = generation.get()) == seen) {
                if (closed) {
                    return;
                }
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            try {
                Task t = task;
                if (t != null) {
                    t.run(index, size);
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
