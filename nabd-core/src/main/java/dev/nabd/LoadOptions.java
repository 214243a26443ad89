package dev.nabd;

import dev.nabd.tensor.GgmlType;

/**
 * How to load a model.
 *
 * @param contextLength positions per sequence; 0 means the smaller of the model's trained length and 4096
 * @param threads threads for the forward pass; 0 means one per physical core
 * @param maxBatch most tokens evaluated in one forward pass (prompt chunks)
 * @param kvType how the KV cache stores keys and values: F16 (the default), F32 or Q8_0
 */
public record LoadOptions(int contextLength, int threads, int maxBatch, GgmlType kvType) {

    /** The default context, batch, thread count and KV cache type. */
    public static final LoadOptions DEFAULTS = new LoadOptions(0, 0, 256, GgmlType.F16);

    public LoadOptions {
        if (contextLength < 0 || threads < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("context " + contextLength + ", threads " + threads + " and batch "
                    + maxBatch + " must not be negative (batch at least 1)");
        }
        if (kvType != GgmlType.F32 && kvType != GgmlType.F16 && kvType != GgmlType.Q8_0) {
            throw new IllegalArgumentException("the KV cache type must be f32, f16 or q8_0, not " + kvType);
        }
    }

    public LoadOptions withContextLength(int c) {
        return new LoadOptions(c, threads, maxBatch, kvType);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(contextLength, t, maxBatch, kvType);
    }

    public LoadOptions withKvType(GgmlType t) {
        return new LoadOptions(contextLength, threads, maxBatch, t);
    }
}
