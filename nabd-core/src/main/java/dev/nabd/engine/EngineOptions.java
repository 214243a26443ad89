package dev.nabd.engine;

/**
 * How an {@link Engine} schedules its work.
 *
 * @param parallel sequences that decode together; each has a KV cache of {@code contextLength} positions
 * @param contextLength positions per sequence (prompt and generated tokens together)
 * @param maxBatch most tokens in one forward pass: one per decoding sequence, the rest prompt chunks
 * @param maxQueue requests that may wait for a free sequence before new ones are refused
 */
public record EngineOptions(int parallel, int contextLength, int maxBatch, int maxQueue) {

    public EngineOptions {
        if (parallel < 1 || contextLength < 2 || maxBatch < parallel || maxQueue < 0) {
            throw new IllegalArgumentException("parallel " + parallel + " (≥ 1), context " + contextLength
                    + " (≥ 2), batch " + maxBatch + " (≥ parallel) and queue " + maxQueue + " (≥ 0)");
        }
    }
}
