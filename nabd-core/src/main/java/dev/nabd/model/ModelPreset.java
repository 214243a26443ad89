package dev.nabd.model;

import java.util.List;
import java.util.Locale;

/**
 * The shapes of well-known models, to write random-weight stand-ins of them (see {@link SyntheticModel}):
 * a user sees the speed a model would have before downloading it, and the benchmarks need no downloads.
 * Shapes are those of the published configurations.
 *
 * @param name what the user types, e.g. {@code qwen2.5-0.5b}
 * @param architecture the family
 * @param dim embedding width
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param headDim width of one head
 * @param ffnDim feed-forward width
 * @param vocabSize vocabulary size
 * @param contextLength trained context
 * @param tiedEmbeddings whether the output matrix is the token embedding
 * @param ropeBase RoPE frequency base
 */
public record ModelPreset(String name, Architecture architecture, int dim, int layers, int heads, int kvHeads,
                          int headDim, int ffnDim, int vocabSize, int contextLength, boolean tiedEmbeddings,
                          float ropeBase) {

    /** Every preset. */
    public static final List<ModelPreset> ALL = List.of(
            new ModelPreset("qwen2.5-0.5b", Architecture.QWEN2, 896, 24, 14, 2, 64, 4864, 151936, 32768, true, 1_000_000f),
            new ModelPreset("qwen2.5-1.5b", Architecture.QWEN2, 1536, 28, 12, 2, 128, 8960, 151936, 32768, true, 1_000_000f),
            new ModelPreset("qwen2.5-7b", Architecture.QWEN2, 3584, 28, 28, 4, 128, 18944, 152064, 32768, false, 1_000_000f),
            new ModelPreset("qwen3-0.6b", Architecture.QWEN3, 1024, 28, 16, 8, 128, 3072, 151936, 40960, true, 1_000_000f),
            new ModelPreset("qwen3-1.7b", Architecture.QWEN3, 2048, 28, 16, 8, 128, 6144, 151936, 40960, true, 1_000_000f),
            new ModelPreset("qwen3-4b", Architecture.QWEN3, 2560, 36, 32, 8, 128, 9728, 151936, 40960, true, 1_000_000f),
            new ModelPreset("qwen3-8b", Architecture.QWEN3, 4096, 36, 32, 8, 128, 12288, 151936, 40960, false, 1_000_000f),
            new ModelPreset("llama3.2-1b", Architecture.LLAMA, 2048, 16, 32, 8, 64, 8192, 128256, 131072, true, 500_000f),
            new ModelPreset("llama3.2-3b", Architecture.LLAMA, 3072, 28, 24, 8, 128, 8192, 128256, 131072, true, 500_000f),
            new ModelPreset("llama3.1-8b", Architecture.LLAMA, 4096, 32, 32, 8, 128, 14336, 128256, 131072, false, 500_000f),
            new ModelPreset("mistral-7b", Architecture.LLAMA, 4096, 32, 32, 8, 128, 14336, 32768, 32768, false, 1_000_000f),
            new ModelPreset("deepseek-r1-distill-qwen-1.5b", Architecture.QWEN2, 1536, 28, 12, 2, 128, 8960, 151936, 131072, false, 10_000f),
            new ModelPreset("deepseek-r1-distill-qwen-7b", Architecture.QWEN2, 3584, 28, 28, 4, 128, 18944, 152064, 131072, false, 10_000f),
            new ModelPreset("deepseek-r1-distill-llama-8b", Architecture.LLAMA, 4096, 32, 32, 8, 128, 14336, 128256, 131072, false, 500_000f));

    /** The preset called {@code name} (case-insensitive), or {@code null}. */
    public static ModelPreset byName(String name) {
        for (ModelPreset p : ALL) {
            if (p.name.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    /** A random-weight model of this shape in {@code fileType}. */
    public SyntheticModel synthetic(FileType fileType, long seed) {
        return new SyntheticModel(architecture, dim, layers, heads, kvHeads, headDim, ffnDim, vocabSize, contextLength,
                tiedEmbeddings, fileType, ropeBase, seed, null);
    }
}
