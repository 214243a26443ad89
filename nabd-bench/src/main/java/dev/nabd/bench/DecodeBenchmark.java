package dev.nabd.bench;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.engine.Session;
import dev.nabd.model.FileType;
import dev.nabd.model.ModelPreset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One decode step end to end (embedding, every layer, logits) of a random-weight model with a real
 * shape, with the KV cache holding {@code context} earlier positions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class DecodeBenchmark {

    @Param({"qwen2.5-0.5b"})
    public String preset;

    @Param({"Q4_0", "Q8_0", "Q4_K_M"})
    public String type;

    @Param({"2"})
    public int threads;

    @Param({"64"})
    public int context;

    private Path file;
    private LanguageModel model;
    private Session session;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("nabd-decode-", ".gguf");
        ModelPreset.byName(preset).synthetic(FileType.byName(type), 42).write(file);
        model = LanguageModel.load(file, LoadOptions.DEFAULTS.withThreads(threads).withContextLength(4096));
        session = model.newSession();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        model.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public float[] decodeStep() {
        if (session.position() >= context) {
            session.reset();
            for (int i = 0; i < context - 1; i++) {
                session.append(100 + i);
            }
        }
        return session.append(42);
    }
}
