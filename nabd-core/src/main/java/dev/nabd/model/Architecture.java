package dev.nabd.model;

import java.util.List;
import java.util.Locale;

/**
 * What distinguishes one model family: its GGUF architecture name, the tensor names it stores, and the
 * switches the forward pass reads. The code that computes lives in {@link Transformer}; adding a family
 * that fits the dense decoder shape is one more entry in {@link #KNOWN}.
 *
 * @param name the value of {@code general.architecture}
 * @param rope how RoPE pairs dimensions
 * @param qkNorm whether each attention head's q and k are RMS-normalised before RoPE (Qwen3)
 * @param tensors the tensor names
 */
public record Architecture(String name, RopeStyle rope, boolean qkNorm, TensorNames tensors) {

    /**
     * GGUF tensor names. Layer names contain {@code %d} for the layer index. Biases, q/k norms,
     * {@code rope_freqs} and the output matrix are optional; their absence switches the feature off
     * (a missing output matrix means the embeddings are tied).
     */
    public record TensorNames(String tokenEmbedding, String outputNorm, String output, String ropeFreqs,
                              String attnNorm, String attnQ, String attnK, String attnV, String attnOutput,
                              String attnQBias, String attnKBias, String attnVBias,
                              String attnQNorm, String attnKNorm,
                              String ffnNorm, String ffnGate, String ffnUp, String ffnDown) {

        /** The names llama.cpp uses for every Llama-shaped model. */
        public static final TensorNames LLAMA_LIKE = new TensorNames(
                "token_embd.weight", "output_norm.weight", "output.weight", "rope_freqs.weight",
                "blk.%d.attn_norm.weight", "blk.%d.attn_q.weight", "blk.%d.attn_k.weight", "blk.%d.attn_v.weight",
                "blk.%d.attn_output.weight",
                "blk.%d.attn_q.bias", "blk.%d.attn_k.bias", "blk.%d.attn_v.bias",
                "blk.%d.attn_q_norm.weight", "blk.%d.attn_k_norm.weight",
                "blk.%d.ffn_norm.weight", "blk.%d.ffn_gate.weight", "blk.%d.ffn_up.weight", "blk.%d.ffn_down.weight");

        /** A layer tensor's name. */
        public static String layer(String template, int layer) {
            return String.format(Locale.ROOT, template, layer);
        }
    }

    /** Llama 1/2/3, Mistral, DeepSeek-LLM, TinyLlama, stories: RoPE on adjacent pairs, optional rope_freqs. */
    public static final Architecture LLAMA = new Architecture("llama", RopeStyle.NORMAL, false, TensorNames.LLAMA_LIKE);
    /** Qwen2 / Qwen2.5 and the DeepSeek-R1 distills built on them: NeoX RoPE, q/k/v biases. */
    public static final Architecture QWEN2 = new Architecture("qwen2", RopeStyle.NEOX, false, TensorNames.LLAMA_LIKE);
    /** Qwen3 dense: NeoX RoPE, RMSNorm over each head of q and k. */
    public static final Architecture QWEN3 = new Architecture("qwen3", RopeStyle.NEOX, true, TensorNames.LLAMA_LIKE);

    /** Every architecture nabd runs. */
    public static final List<Architecture> KNOWN = List.of(LLAMA, QWEN2, QWEN3);

    /** The architecture called {@code name}, or {@code null}. */
    public static Architecture byName(String name) {
        for (Architecture a : KNOWN) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The metadata key {@code <arch>.<suffix>}. */
    public String key(String suffix) {
        return name + "." + suffix;
    }
}
