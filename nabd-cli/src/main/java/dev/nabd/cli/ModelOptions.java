package dev.nabd.cli;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The options every command that loads a model shares: which file, context and threads. */
final class ModelOptions {
    /** The model shipped with nabd, relative to its home folder. */
    static final String BUNDLED_MODEL = "models/stories260K.gguf";

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file (default: the bundled stories260K model)")
    Path model;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "context length (default: the smaller of the model's trained length and 4096)")
    int contextLength;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "threads (default: one per physical core)")
    int threads;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "256",
            description = "most tokens per forward pass while reading the prompt (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "f16",
            description = "how the KV cache stores keys and values: f32, f16 or q8_0 (default: ${DEFAULT-VALUE})")
    String kvType;

    @Option(names = "--float-activations",
            description = "multiply every weight, dequantised, with float activations: exact math on the stored weights, "
                    + "slower (default: quantised weights are multiplied as integers with 8-bit activations, as llama.cpp does)")
    boolean floatActivations;

    /** The KV cache type asked for. */
    GgmlType kvType() {
        GgmlType t = GgmlType.byName(kvType);
        if (t != GgmlType.F32 && t != GgmlType.F16 && t != GgmlType.Q8_0) {
            throw new UserInputException("--kv-type must be f32, f16 or q8_0, not " + kvType);
        }
        return t;
    }

    LanguageModel load() {
        if (contextLength < 0 || threads < 0 || batchSize < 1) {
            throw new UserInputException("-c and -t must not be negative, -b must be positive");
        }
        Path path = model != null ? model : bundledModel();
        if (!Files.exists(path)) {
            throw new UserInputException(path + ": no such file");
        }
        return LanguageModel.load(path, new LoadOptions(contextLength, threads, batchSize, kvType(), !floatActivations));
    }

    /** The bundled model: under the launcher's {@code nabd.home}, else beside the working directory. */
    static Path bundledModel() {
        String home = System.getProperty("nabd.home");
        Path base = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        return base.resolve(BUNDLED_MODEL);
    }
}
