package dev.nabd.model;

/** How rotary position embedding pairs up the dimensions of a head. */
public enum RopeStyle {
    /** Adjacent pairs (x[2i], x[2i+1]): llama.cpp's "NORM", used by GGUF Llama weights (already permuted by the converter). */
    NORMAL,
    /** Halves (x[i], x[i + d/2]): GPT-NeoX style, used by Qwen. */
    NEOX
}
