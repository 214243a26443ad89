package dev.nabd.model;

import dev.nabd.tensor.GgmlType;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;

/**
 * A load-time pass that runs a model's forward pass on throwaway tokens until the JIT has compiled its
 * kernels, so that the first real request runs at full speed.
 *
 * <p>Why: HotSpot starts every method in the interpreter and C1, where Vector API calls are not
 * intrinsics but library code that allocates each vector; C2 compiles the kernels only after thousands of
 * calls. Measured before this pass (llama3.2-1b Q4_K_M, 2 threads, a 757-token prompt then 80 tokens, in
 * one JVM): the first request read its prompt in 18.3 s and took 712 ms for its second token, the same
 * request again 8.0 s and 30 ms.
 *
 * <p>Each round runs a batch of {@link #BATCH} tokens (the prompt kernels: packed strips unpacked and
 * multiplied by tiles, batched attention) then {@link #STEPS} single tokens (the decode kernels), into a
 * small cache of the model's KV type. Rounds go on until the JIT has compiled nothing for two rounds in a
 * row, the time budget is spent, or the caller says stop. Results never depend on which compiler ran a
 * kernel (the JIT invariance test checks it), so the pass changes no output, only how soon it is fast.
 *
 * <p>What it costs: C2's work on the large vector kernels, which the first request pays otherwise. The
 * same model as above: 10.2 s (the first round, its kernels still interpreted while C2 compiles them,
 * 8.4 s of it; HotSpot reported 7.0 s of compilation by then); the request after it read its prompt in
 * 9.4 s and took 37 ms for its second token. Worth it for a server, which then answers its first
 * request at full speed; not for one prompt on the command line, whose own first request pays about
 * the same.
 */
public final class WarmUp {
    /**
     * Tokens of a round's prompt batch: a tile of three and one overlapping it. Seven, to run Q8_0's
     * six-token tile as well, was tried on 2026-12-05 and taken back after the allocation test failed in
     * its run; the same failure (the float path's Legacy row kernels boxed) came later with four too, and
     * with the kernels of before that day, so seven was not its cause: worth trying again once it is
     * understood.
     */
    static final int BATCH = 4;
    /** Logit rows of the batch: three, so that the output matrix runs its batch kernel too (as a server's batches do). */
    static final int LOGIT_ROWS = 3;
    /** The JIT counts as done when it has compiled nothing for two rounds and this long. */
    static final long QUIET_NANOS = 1_000_000_000L;
    /** Single-token steps after it. */
    static final int STEPS = 4;

    private WarmUp() {
    }

    /**
     * Warms {@code model} up, for at most about {@code budgetNanos} (a forward pass that has started
     * finishes), or until {@code stop} says so (asked before every forward pass).
     *
     * @return the rounds run
     */
    public static int run(Transformer model, GgmlType kvType, long budgetNanos, BooleanSupplier stop) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        InferenceState state = model.newState(BATCH + STEPS, BATCH, LOGIT_ROWS, kvType);
        int[] tokens = new int[BATCH + STEPS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i + 1) % model.config().vocabSize();   // valid in any vocabulary
        }
        long start = System.nanoTime();
        BooleanSupplier done = () -> stop.getAsBoolean() || System.nanoTime() - start >= budgetNanos;
        long compiled = watch ? jit.getTotalCompilationTime() : 0;
        long quietSince = System.nanoTime();
        int quiet = 0;
        int rounds = 0;
        while (!done.getAsBoolean()) {
            model.forward(state, tokens, 0, BATCH, 0, LOGIT_ROWS);
            for (int i = 0; i < STEPS && !done.getAsBoolean(); i++) {
                model.forward(state, tokens, BATCH + i, 1, BATCH + i, 1);
            }
            rounds++;
            if (!watch) {
                continue;   // no way to see the JIT: use the whole budget
            }
            // The total grows only when a compilation ends: a long one still running looks quiet, hence
            // two rounds and a second of quiet rather than one short round.
            long now = jit.getTotalCompilationTime();
            if (now != compiled) {
                quiet = 0;
                quietSince = System.nanoTime();
            } else {
                quiet++;
            }
            compiled = now;
            if (quiet >= 2 && System.nanoTime() - quietSince >= QUIET_NANOS) {
                break;
            }
        }
        return rounds;
    }
}
