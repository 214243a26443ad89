package dev.nabd.model;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import dev.nabd.gguf.GgufWriter;
import dev.nabd.model.Architecture.TensorNames;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes random-weight models of any supported architecture, shape and weight type, so that tests and
 * benchmarks never need a download. Weights are drawn from N(0, 1/fan_in) (norms 1 + N(0, 0.1), biases
 * N(0, 0.1)), the same recipe as the golden models, and quantised with our reference quantisers.
 *
 * <p>The vocabulary is either copied from another GGUF file ({@link #withTokenizerFrom}: every
 * {@code tokenizer.*} key, e.g. the real Qwen3 vocabulary and chat template) or a minimal SentencePiece
 * vocabulary of the 256 byte tokens, three specials and filler pieces.
 *
 * @param architecture the family
 * @param dim embedding width
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param headDim width of a head
 * @param ffnDim feed-forward width
 * @param vocabSize token ids
 * @param contextLength trained context to record
 * @param tiedEmbeddings omit {@code output.weight}
 * @param fileType the quantisation scheme, which gives each matrix its type as llama-quantize would
 * @param ropeBase RoPE frequency base
 * @param seed random seed: the same spec writes the same bytes
 * @param tokenizer tokenizer metadata to copy, or {@code null} for the built-in byte vocabulary
 */
public record SyntheticModel(Architecture architecture, int dim, int layers, int heads, int kvHeads, int headDim,
                             int ffnDim, int vocabSize, int contextLength, boolean tiedEmbeddings,
                             FileType fileType, float ropeBase, long seed, GgufMetadata tokenizer) {

    /**
     * Rows drawn at random per matrix; larger matrices repeat them. Speed does not depend on the values,
     * and quantising a multi-gigabyte model row by row would take minutes.
     */
    private static final int DISTINCT_ROWS = 256;

    /** A small model of {@code architecture}, every matrix in {@code type}, with the byte vocabulary. */
    public static SyntheticModel small(Architecture architecture, GgmlType type, long seed) {
        FileType uniform = java.util.Arrays.stream(FileType.values()).filter(f -> f.baseType() == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no file type stores matrices as " + type));
        return new SyntheticModel(architecture, 256, 2, 4, 2, 64, 512, 300, 256, architecture != Architecture.LLAMA,
                uniform, architecture.rope() == RopeStyle.NEOX ? 1_000_000f : 10_000f, seed, null);
    }

    /** The same model with another vocabulary copied from {@code source} (its size becomes the vocabulary size). */
    public SyntheticModel withTokenizerFrom(GgufMetadata source) {
        int vocab = source.getArray("tokenizer.ggml.tokens").length();
        return new SyntheticModel(architecture, dim, layers, heads, kvHeads, headDim, ffnDim, vocab, contextLength,
                tiedEmbeddings, fileType, ropeBase, seed, source);
    }

    /** The same model with another trained context length recorded. */
    public SyntheticModel withContextLength(int positions) {
        return new SyntheticModel(architecture, dim, layers, heads, kvHeads, headDim, ffnDim, vocabSize, positions,
                tiedEmbeddings, fileType, ropeBase, seed, tokenizer);
    }

    /** Writes the model as a GGUF file. */
    public void write(Path path) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        String a = architecture.name();
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", a)
                .putString("general.name", "synthetic-" + a + "-" + fileType.label().toLowerCase(java.util.Locale.ROOT))
                .putUint32("general.file_type", fileType.id())
                .putUint32(a + ".context_length", contextLength)
                .putUint32(a + ".embedding_length", dim)
                .putUint32(a + ".block_count", layers)
                .putUint32(a + ".feed_forward_length", ffnDim)
                .putUint32(a + ".attention.head_count", heads)
                .putUint32(a + ".attention.head_count_kv", kvHeads)
                .putUint32(a + ".attention.key_length", headDim)
                .putUint32(a + ".attention.value_length", headDim)
                .putUint32(a + ".rope.dimension_count", headDim)
                .putFloat32(a + ".rope.freq_base", ropeBase)
                .putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-6f)
                .putUint32(a + ".vocab_size", vocabSize);
        if (tokenizer != null) {
            for (Map.Entry<String, GgufValue> e : tokenizer.asMap().entrySet()) {
                if (e.getKey().startsWith("tokenizer.")) {
                    w.put(e.getKey(), e.getValue());
                }
            }
        } else {
            putByteVocabulary(w);
        }
        for (Planned t : plan()) {
            if (t.rows() == 0) {
                vector(w, r, t.name(), t.cols(), t.mean(), t.std());
            } else {
                matrix(w, r, t.name(), t.type(), t.cols(), t.rows(), t.std());
            }
        }
        w.write(path);
    }

    /**
     * One tensor of the model, in file order: a matrix of {@code rows} rows, or an F32 vector when
     * {@code rows} is 0, drawn from N(mean, std²).
     */
    private record Planned(String name, GgmlType type, int cols, int rows, float mean, float std) {
        long bytes() {
            return type.bytesFor((long) cols * Math.max(1, rows));
        }
    }

    /** Bytes of all tensors, as {@code nabd bench} and llama-bench report a model's size. */
    public long weightBytes() {
        return plan().stream().mapToLong(Planned::bytes).sum();
    }

    /** Every tensor, with the type the file type gives it. */
    private java.util.List<Planned> plan() {
        java.util.List<Planned> out = new java.util.ArrayList<>();
        TensorNames n = architecture.tensors();
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        String embeddingRole = tiedEmbeddings ? "output" : "token_embd";
        out.add(new Planned(n.tokenEmbedding(), fileType.matrixType(embeddingRole, 0, layers, dim), dim, vocabSize, 0f, 0.25f));
        out.add(vector(n.outputNorm(), dim, 1f, 0.1f));
        if (!tiedEmbeddings) {
            out.add(new Planned(n.output(), fileType.matrixType("output", 0, layers, dim), dim, vocabSize, 0f, (float) (1 / Math.sqrt(dim))));
        }
        for (int l = 0; l < layers; l++) {
            out.add(vector(TensorNames.layer(n.attnNorm(), l), dim, 1f, 0.1f));
            out.add(layerMatrix(n.attnQ(), "attn_q", l, dim, qDim));
            out.add(layerMatrix(n.attnK(), "attn_k", l, dim, kvDim));
            out.add(layerMatrix(n.attnV(), "attn_v", l, dim, kvDim));
            if (architecture == Architecture.QWEN2) {
                out.add(vector(TensorNames.layer(n.attnQBias(), l), qDim, 0f, 0.1f));
                out.add(vector(TensorNames.layer(n.attnKBias(), l), kvDim, 0f, 0.1f));
                out.add(vector(TensorNames.layer(n.attnVBias(), l), kvDim, 0f, 0.1f));
            }
            if (architecture.qkNorm()) {
                out.add(vector(TensorNames.layer(n.attnQNorm(), l), headDim, 1f, 0.1f));
                out.add(vector(TensorNames.layer(n.attnKNorm(), l), headDim, 1f, 0.1f));
            }
            out.add(layerMatrix(n.attnOutput(), "attn_output", l, qDim, dim));
            out.add(vector(TensorNames.layer(n.ffnNorm(), l), dim, 1f, 0.1f));
            out.add(layerMatrix(n.ffnGate(), "ffn_gate", l, dim, ffnDim));
            out.add(layerMatrix(n.ffnUp(), "ffn_up", l, dim, ffnDim));
            out.add(layerMatrix(n.ffnDown(), "ffn_down", l, ffnDim, dim));
        }
        return out;
    }

    private static Planned vector(String name, int length, float mean, float std) {
        return new Planned(name, GgmlType.F32, length, 0, mean, std);
    }

    private Planned layerMatrix(String template, String role, int layer, int cols, int rows) {
        return new Planned(TensorNames.layer(template, layer), fileType.matrixType(role, layer, layers, cols), cols, rows,
                0f, (float) (1 / Math.sqrt(cols)));
    }

    /** SentencePiece-style vocabulary: unk, bos, eos, the 256 byte tokens, then filler pieces. */
    private void putByteVocabulary(GgufWriter w) {
        String[] tokens = new String[vocabSize];
        float[] scores = new float[vocabSize];
        int[] types = new int[vocabSize];
        tokens[0] = "<unk>";
        tokens[1] = "<s>";
        tokens[2] = "</s>";
        types[0] = 2;
        types[1] = 3;
        types[2] = 3;
        for (int b = 0; b < 256 && b + 3 < vocabSize; b++) {
            tokens[b + 3] = String.format("<0x%02X>", b);
            types[b + 3] = 6;
        }
        for (int i = 259; i < vocabSize; i++) {
            tokens[i] = "▁piece" + i;
            scores[i] = -i;
            types[i] = 1;
        }
        w.putString("tokenizer.ggml.model", "llama")
                .putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens))
                .putArray("tokenizer.ggml.scores", new GgufArray(GgufValueType.FLOAT32, scores))
                .putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, types))
                .putUint32("tokenizer.ggml.unknown_token_id", 0)
                .putUint32("tokenizer.ggml.bos_token_id", 1)
                .putUint32("tokenizer.ggml.eos_token_id", 2)
                .putBool("tokenizer.ggml.add_bos_token", true);
    }

    /**
     * A random matrix: up to {@link #DISTINCT_ROWS} rows drawn from N(0, std²) and quantised, repeated in
     * a seeded order to fill larger matrices. Its bytes are produced when the writer gets to it.
     */
    private static void matrix(GgufWriter w, SplittableRandom r, String name, GgmlType type, int cols, int rows, float std) {
        int distinct = Math.min(rows, DISTINCT_ROWS);
        long seed = r.nextLong();
        long rowBytes = type.bytesFor(cols);
        w.addTensor(name, type, new long[] {cols, rows}, rowBytes * rows, () -> {
            SplittableRandom rr = new SplittableRandom(seed);
            float[] values = new float[Math.multiplyExact(cols, distinct)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (gaussian(rr) * std);
            }
            MemorySegment pool = encode(type, values);
            if (distinct == rows) {
                return pool;
            }
            MemorySegment all = MemorySegment.ofArray(new byte[Math.toIntExact(rowBytes * rows)]);
            for (int row = 0; row < rows; row++) {
                MemorySegment.copy(pool, rowBytes * rr.nextInt(distinct), all, rowBytes * row, rowBytes);
            }
            return all;
        });
    }

    private static void vector(GgufWriter w, SplittableRandom r, String name, int n, float mean, float std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (mean + gaussian(r) * std);
        }
        w.addF32(name, new long[] {n}, values);
    }

    private static MemorySegment encode(GgmlType type, float[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(type.bytesFor(values.length))]);
        BlockCodecs.of(type).quantize(values, 0, seg, 0, values.length);
        return seg;
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller: SplittableRandom has no nextGaussian of its own that is stable across JDKs.
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String toString() {
        return architecture.name() + " " + fileType.label() + " dim " + dim + " x " + layers + " layers, vocab " + vocabSize
                + (tokenizer == null ? "" : " (copied vocabulary)");
    }
}
