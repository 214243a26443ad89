package dev.nabd;

/**
 * How to load a model.
 *
 * @param contextLength positions per sequence; 0 means the smaller of the model's trained length and 4096
 * @param threads threads for the forward pass; 0 means one per available processor
 * @param maxBatch most tokens evaluated in one forward pass (prompt chunks)
 */
public record LoadOptions(int contextLength, int threads, int maxBatch) {

    /** The default context, batch and thread count. */
    public static final LoadOptions DEFAULTS = new LoadOptions(0, 0, 256);

    public LoadOptions {
        if (contextLength < 0 || threads < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("context " + contextLength + ", threads " + threads + " and batch "
                    + maxBatch + " must not be negative (batch at least 1)");
        }
    }

    public LoadOptions withContextLength(int c) {
        return new LoadOptions(c, threads, maxBatch);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(contextLength, t, maxBatch);
    }
}
