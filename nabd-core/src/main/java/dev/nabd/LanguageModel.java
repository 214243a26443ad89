package dev.nabd;

import dev.nabd.engine.Engine;
import dev.nabd.engine.EngineOptions;
import dev.nabd.engine.Generator;
import dev.nabd.engine.Session;
import dev.nabd.gguf.GgufFile;
import dev.nabd.kernel.CpuInfo;
import dev.nabd.kernel.FloatOps;
import dev.nabd.kernel.FloatOpsProvider;
import dev.nabd.kernel.ThreadTeam;
import dev.nabd.model.ModelConfig;
import dev.nabd.model.ModelException;
import dev.nabd.model.ModelWeights;
import dev.nabd.model.Transformer;
import dev.nabd.model.WarmUp;
import dev.nabd.sampling.SamplingParams;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tokenizer.GgufTokenizers;
import dev.nabd.tokenizer.Tokenizer;
import dev.nabd.tokenizer.TokenizerException;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A loaded model: the entry point for library users and for every command.
 *
 * <pre>{@code
 * try (LanguageModel m = LanguageModel.load(Path.of("qwen2.5-0.5b-q4_k_m.gguf"), LoadOptions.DEFAULTS)) {
 *     m.generate("Once upon a time", 64, SamplingParams.defaults(42), System.out::print);
 * }
 * }</pre>
 *
 * Weights stay in the memory-mapped file; closing the model unmaps it and stops its threads.
 */
public final class LanguageModel implements AutoCloseable {
    /** The context used when neither the caller nor a smaller trained length says otherwise. */
    public static final int DEFAULT_MAX_CONTEXT = 4096;

    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final Tokenizer tokenizer;
    private final ThreadTeam team;
    private final FloatOps ops;
    private final Transformer transformer;
    private final int contextLength;
    private final int maxBatch;
    private final GgmlType kvType;
    private final long loadNanos;

    private LanguageModel(GgufFile file, ModelConfig config, ModelWeights weights, Tokenizer tokenizer, ThreadTeam team,
                          FloatOps ops, Transformer transformer, int contextLength, int maxBatch, GgmlType kvType,
                          long loadNanos) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.team = team;
        this.ops = ops;
        this.transformer = transformer;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.kvType = kvType;
        this.loadNanos = loadNanos;
    }

    /**
     * Opens a GGUF model.
     *
     * @throws dev.nabd.gguf.GgufException when the file is not a readable GGUF file
     * @throws ModelException when it is readable but not a model nabd can run
     */
    public static LanguageModel load(Path path, LoadOptions options) {
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(path);
        ThreadTeam team = null;
        try {
            ModelConfig config = ModelConfig.from(file);
            ModelWeights weights = ModelWeights.bind(file, config);
            Tokenizer tokenizer;
            try {
                tokenizer = GgufTokenizers.load(file.metadata());
            } catch (TokenizerException e) {
                throw new ModelException(path + ": " + e.getMessage());
            }
            if (tokenizer.vocabSize() != config.vocabSize()) {
                throw new ModelException(path + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                        + config.vocabSize());
            }
            int ctx = options.contextLength() == 0
                    ? Math.min(config.trainedContext(), DEFAULT_MAX_CONTEXT)
                    : options.contextLength();
            if (ctx > config.trainedContext()) {
                throw new ModelException("context " + ctx + " is longer than the " + config.trainedContext()
                        + " positions " + path.getFileName() + " was trained for");
            }
            int threads = options.threads() == 0 ? CpuInfo.physicalCores() : options.threads();
            team = new ThreadTeam(threads);
            FloatOps ops = FloatOpsProvider.get();
            // The transformer repacks the matrices it multiplies as integers: part of loading.
            Transformer transformer = new Transformer(config, weights, team, ops, options.quantizedActivations());
            return new LanguageModel(file, config, weights, tokenizer, team, ops, transformer, ctx,
                    options.maxBatch(), options.kvType(), System.nanoTime() - start);
        } catch (RuntimeException | Error e) {   // an OutOfMemoryError while repacking too
            if (team != null) {
                team.close();
            }
            file.close();
            throw e;
        }
    }

    /**
     * Runs the forward pass on throwaway tokens until the JIT has compiled its kernels, for at most about
     * {@code budgetNanos}, so that the first request runs at full speed rather than in the interpreter
     * ({@link WarmUp} says why). Outputs do not change. Returns the time it took.
     */
    public long warmUp(long budgetNanos) {
        return warmUp(budgetNanos, () -> false);
    }

    /**
     * {@link #warmUp(long)} that also ends when {@code stop} says so, asked before every forward pass: for a
     * warm-up in the background while the user types (run nothing else on this model until it returns).
     */
    public long warmUp(long budgetNanos, BooleanSupplier stop) {
        long start = System.nanoTime();
        WarmUp.run(transformer, kvType, budgetNanos, stop);
        return System.nanoTime() - start;
    }

    /** Starts an empty sequence with this model's context. */
    public Session newSession() {
        return new Session(transformer, contextLength, maxBatch, kvType);
    }

    /**
     * Starts an engine that runs up to {@code parallel} requests at once on this model, each with this
     * model's context, with continuous batching and a prefix cache. Close it before the model.
     *
     * @param maxQueue requests that may wait for a free sequence before new ones are refused
     */
    public Engine startEngine(int parallel, int maxQueue) {
        EngineOptions o = new EngineOptions(parallel, contextLength, Math.max(maxBatch, parallel), maxQueue);
        return new Engine(transformer, tokenizer, o, kvType);
    }

    /**
     * Tokenises {@code prompt} (adding BOS as the model asks, reading special-token text as special tokens)
     * and generates from it in a fresh session.
     */
    public Generator.Result generate(String prompt, int maxTokens, SamplingParams params, Consumer<String> onText) {
        int[] ids = tokenizer.encode(prompt, true, true);
        return new Generator(tokenizer).generate(newSession(), ids, maxTokens, params, onText);
    }

    /** One line saying what runs and how: architecture, size, weight types, context, threads, SIMD, JIT. */
    public String describe() {
        String types = weights.typeCounts().entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(" "));
        String warning = FloatOpsProvider.warning();
        return String.format(Locale.ROOT, "nabd: %s | %s params | %s | ctx %d, kv %s | %d threads | %s | %s%s",
                config.architecture().name(), humanCount(weights.parameterCount()), types, contextLength,
                kvType.name().toLowerCase(Locale.ROOT), team.size(),
                ops.description(), jitName(), warning.isEmpty() ? "" : "\n" + warning);
    }

    private static String jitName() {
        try {
            var jit = ManagementFactory.getCompilationMXBean();
            return jit == null ? "interpreter only" : "JIT " + jit.getName();
        } catch (RuntimeException | LinkageError e) {
            return "JIT unknown";
        }
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }

    public GgufFile file() {
        return file;
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Transformer transformer() {
        return transformer;
    }

    /** Positions per sequence. */
    public int contextLength() {
        return contextLength;
    }

    /** Most tokens per forward pass. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Threads the forward pass uses. */
    public int threads() {
        return team.size();
    }

    /** How the KV cache of each session stores keys and values. */
    public GgmlType kvType() {
        return kvType;
    }

    /** Time {@link #load} took. */
    public long loadNanos() {
        return loadNanos;
    }

    @Override
    public void close() {
        team.close();
        file.close();
    }
}
