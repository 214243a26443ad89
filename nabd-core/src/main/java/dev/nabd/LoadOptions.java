package dev.nabd;

import dev.nabd.tensor.GgmlType;

/**
 * How to load a model.
 *
 * @param contextLength positions per sequence; 0 means the smaller of the model's trained length and 4096
 * @param threads threads for the forward pass; 0 means one per physical core
 * @param maxBatch most tokens evaluated in one forward pass (prompt chunks)
 * @param kvType how the KV cache stores keys and values: F16 (the default), F32 or Q8_0
 * @param quantizedActivations multiply weights of the types that have an integer kernel (Q2_K, Q3_K, Q4_0,
 *        Q4_1, Q4_K, Q5_0, Q5_1, Q5_K, Q6_K, Q8_0) with activations quantised to 8 bits, and the others with
 *        activations rounded as llama.cpp rounds them (the default, faster); false multiplies every
 *        weight, dequantised, with float activations (exact math on the stored weights)
 */
public record LoadOptions(int contextLength, int threads, int maxBatch, GgmlType kvType, boolean quantizedActivations) {

    /** The default context, batch, thread count and KV cache type. */
    public static final LoadOptions DEFAULTS = new LoadOptions(0, 0, 256, GgmlType.F16);

    /** Options with quantised activations (the default). */
    public LoadOptions(int contextLength, int threads, int maxBatch, GgmlType kvType) {
        this(contextLength, threads, maxBatch, kvType, true);
    }

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
        return new LoadOptions(c, threads, maxBatch, kvType, quantizedActivations);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(contextLength, t, maxBatch, kvType, quantizedActivations);
    }

    public LoadOptions withKvType(GgmlType t) {
        return new LoadOptions(contextLength, threads, maxBatch, t, quantizedActivations);
    }

    /** The same options with activations quantised ({@code true}) or kept in float. */
    public LoadOptions withQuantizedActivations(boolean q) {
        return new LoadOptions(contextLength, threads, maxBatch, kvType, q);
    }
}
