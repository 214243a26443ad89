package dev.nabd.bench;

import dev.nabd.json.JsonReader;
import dev.nabd.tokenizer.Tokenizer;
import dev.nabd.tokenizer.Tokenizers;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Encoding throughput of the real tokenizer.json files of {@code ../shared/tokenizers}, on one thread,
 * reported in MB of UTF-8 per second (the {@code megabytes} counter; the primary score counts passes).
 *
 * <ul>
 *   <li>{@code corpus}: the public reference texts, the 160 texts of {@code cases.jsonl} (the same in
 *       every tokenizer folder: prose in English, Arabic, Chinese, Japanese and Korean, code, numbers, emoji,
 *       whitespace, long inputs), each encoded as one call, as prompts are. After warm-up, repeated
 *       words come from the BPE cache, as in a long-running server.</li>
 *   <li>{@code megabyteWithoutSpaces}: one line of 1 MiB with no whitespace (letters of several
 *       scripts, digits, punctuation, emoji), where a quadratic BPE would take minutes.</li>
 * </ul>
 * The data is found through {@code -Dnabd.shared=DIR}, else as a {@code shared} folder beside the working
 * directory or one of its parents. Run from the project root:
 * <pre>
 *   java -jar nabd-bench/target/benchmarks.jar TokenizerBenchmark -wi 3 -i 5 -f 1
 *   java -jar nabd-bench/target/benchmarks.jar TokenizerBenchmark -p tokenizer=gemma3,golden/tokenizer/qwen3-real-vocab.gguf
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizerBenchmark {

    /**
     * A folder or file under {@code ../shared/tokenizers} (a folder holding a tokenizer.json.gz, or a GGUF
     * such as {@code llamacpp/ggml-vocab-llama-spm.gguf}), else under {@code ../shared} (such as
     * {@code golden/tokenizer/qwen3-real-vocab.gguf}).
     */
    @Param({"qwen3", "llama3", "deepseek_v3"})
    public String tokenizer;

    private Tokenizer tok;
    private List<String> corpus;
    private double corpusMegabytes;
    private String line;
    private double lineMegabytes;

    /** Megabytes (10^6 bytes) of UTF-8 encoded: reported per second, it is the throughput in MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Path shared = shared();
        Path underTokenizers = shared.resolve("tokenizers").resolve(tokenizer);
        tok = Tokenizers.load(Files.exists(underTokenizers) ? underTokenizers : shared.resolve(tokenizer));
        corpus = new ArrayList<>();
        long bytes = 0;
        // the same texts are in every folder's cases.jsonl
        for (String json : read(shared.resolve("tokenizers/qwen3/cases.jsonl")).split("\n")) {
            if (!json.isBlank()) {
                @SuppressWarnings("unchecked")
                String text = (String) ((Map<String, Object>) JsonReader.parse(json)).get("text");
                corpus.add(text);
                bytes += text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        corpusMegabytes = bytes / 1e6;
        line = withoutSpaces(1 << 20);
        lineMegabytes = line.getBytes(StandardCharsets.UTF_8).length / 1e6;
    }

    @Benchmark
    public int corpus(Bytes counter) {
        int tokens = 0;
        for (String text : corpus) {
            tokens += tok.encode(text, false, true).length;
        }
        counter.megabytes += corpusMegabytes;
        return tokens;
    }

    @Benchmark
    public int[] megabyteWithoutSpaces(Bytes counter) {
        int[] ids = tok.encode(line, false, true);
        counter.megabytes += lineMegabytes;
        return ids;
    }

    /** Letters of several scripts, digits, punctuation and emoji, no whitespace: one pre-tokenized word after another. */
    static String withoutSpaces(int chars) {
        Random r = new Random(7);
        String[] pieces = {"token", "ization", "مرحبا", "你好世界", "😀", "12345", "!?", "éà", "한국어", "xyz", "_-+"};
        StringBuilder sb = new StringBuilder(chars + 16);
        while (sb.length() < chars) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    /** {@code -Dnabd.shared}, else a {@code shared} folder with tokenizers in it beside the working directory or a parent. */
    static Path shared() {
        String prop = System.getProperty("nabd.shared");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/tokenizers"))) {
                return p.resolve("shared");
            }
        }
        throw new IllegalStateException("cannot find the shared reference data (shared/tokenizers) from "
                + Path.of("").toAbsolutePath() + "; give -Dnabd.shared=DIR");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
