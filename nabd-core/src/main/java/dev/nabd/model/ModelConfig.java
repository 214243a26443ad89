package dev.nabd.model;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufMetadata;

/**
 * The hyper-parameters of a dense decoder, normalised from whatever keys the file used.
 *
 * @param architecture the model family
 * @param dim embedding width
 * @param layers number of transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads} for grouped-query attention)
 * @param headDim width of one query/key head ({@code attention.key_length}, else dim / heads)
 * @param valueDim width of one value head ({@code attention.value_length}, else headDim)
 * @param ffnDim hidden width of the feed-forward block
 * @param vocabSize number of token ids
 * @param trainedContext the context length the model was trained with
 * @param rmsEps RMSNorm epsilon
 * @param ropeBase RoPE frequency base
 * @param ropeDim how many dimensions of each head RoPE rotates
 * @param ropeFreqScale linear RoPE scaling (1 / scaling factor; 1 when absent)
 */
public record ModelConfig(Architecture architecture, int dim, int layers, int heads, int kvHeads, int headDim,
                          int valueDim, int ffnDim, int vocabSize, int trainedContext, float rmsEps,
                          float ropeBase, int ropeDim, float ropeFreqScale) {

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of all key heads together. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Width of all value heads together. */
    public int vDim() {
        return kvHeads * valueDim;
    }

    /** Reads the configuration of {@code file}, failing with a message that names the file and key. */
    public static ModelConfig from(GgufFile file) {
        GgufMetadata md = file.metadata();
        String src = file.path().toString();
        String archName = md.getString("general.architecture");
        Architecture a = Architecture.byName(archName);
        if (a == null) {
            throw new ModelException(src + ": architecture '" + archName + "' is not supported (supported: "
                    + Architecture.KNOWN.stream().map(Architecture::name).toList() + ")");
        }
        int dim = positive(md, a.key("embedding_length"), src);
        int layers = positive(md, a.key("block_count"), src);
        int heads = positive(md, a.key("attention.head_count"), src);
        int kvHeads = md.contains(a.key("attention.head_count_kv")) ? positive(md, a.key("attention.head_count_kv"), src) : heads;
        if (heads % kvHeads != 0) {
            throw new ModelException(src + ": " + heads + " attention heads cannot be grouped over " + kvHeads + " key/value heads");
        }
        int headDim = md.contains(a.key("attention.key_length")) ? positive(md, a.key("attention.key_length"), src) : dim / heads;
        int valueDim = md.contains(a.key("attention.value_length")) ? positive(md, a.key("attention.value_length"), src) : headDim;
        if (valueDim != headDim) {
            throw new ModelException(src + ": value heads of " + valueDim + " differ from key heads of " + headDim + " (not supported for " + archName + ")");
        }
        int ffnDim = positive(md, a.key("feed_forward_length"), src);
        int vocab;
        if (md.contains(a.key("vocab_size"))) {
            vocab = positive(md, a.key("vocab_size"), src);
        } else {
            GgufArray tokens = md.findArray("tokenizer.ggml.tokens")
                    .orElseThrow(() -> new ModelException(src + ": neither " + a.key("vocab_size") + " nor tokenizer.ggml.tokens gives the vocabulary size"));
            vocab = tokens.length();
        }
        int ctx = positive(md, a.key("context_length"), src);
        float eps = md.getFloat(a.key("attention.layer_norm_rms_epsilon"), 1e-5f);
        float base = md.getFloat(a.key("rope.freq_base"), 10000f);
        int ropeDim = md.getInt(a.key("rope.dimension_count"), headDim);
        if (ropeDim <= 0 || ropeDim > headDim || ropeDim % 2 != 0) {
            throw new ModelException(src + ": rope.dimension_count " + ropeDim + " does not fit heads of " + headDim);
        }
        float freqScale = 1f;
        String scaling = md.getString(a.key("rope.scaling.type"), "none");
        switch (scaling) {
            case "none" -> { }
            case "linear" -> {
                float factor = md.getFloat(a.key("rope.scaling.factor"), 1f);
                if (!(factor > 0)) {
                    throw new ModelException(src + ": rope.scaling.factor must be positive, not " + factor);
                }
                freqScale = 1f / factor;
            }
            default -> throw new ModelException(src + ": RoPE scaling '" + scaling + "' is not supported yet (none and linear are)");
        }
        if (md.contains(a.key("rope.scale_linear"))) {
            freqScale = 1f / md.getFloat(a.key("rope.scale_linear"), 1f);
        }
        return new ModelConfig(a, dim, layers, heads, kvHeads, headDim, valueDim, ffnDim, vocab, ctx, eps, base, ropeDim, freqScale);
    }

    private static int positive(GgufMetadata md, String key, String src) {
        long v = md.getLong(key);
        if (v <= 0 || v > (1 << 24)) {
            throw new ModelException(src + ": metadata key '" + key + "' has an unusable value " + v);
        }
        return (int) v;
    }
}
