package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Encoding throughput on the public reference texts (tokenizers/*&#47;cases.jsonl, the same 160 texts in
 * every folder: prose in several scripts, code, emoji, long inputs), in MB of UTF-8 per second on one
 * thread. A main, not a test: timing in tests only makes them flaky. Run it from the nabd-core folder
 * with the test class path, e.g.
 * <pre>
 *   java -cp target/classes:target/test-classes dev.nabd.tokenizer.TokenizerThroughput [seconds]
 * </pre>
 * "warm" repeats the texts, so repeated words come from the BPE cache, as in a long-running server;
 * "fresh" is one pass with a newly loaded tokenizer (empty cache) after the JIT has warmed up on
 * another; "1 MB" is one line of 1 MB without spaces.
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<String> texts = TokenizerTestData.hfCases("tokenizers/qwen3/cases.jsonl").stream()
                .map(TokenizerTestData.HfCase::text).toList();
        long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
        System.out.printf(Locale.ROOT, "corpus: %d texts, %d bytes of UTF-8; %s%n", texts.size(), bytes, Runtime.version());
        System.out.printf(Locale.ROOT, "%-32s %12s %12s %10s%n", "tokenizer", "warm MB/s", "fresh MB/s", "1 MB line");
        String line = LongInputTest.noSpaces(1 << 20, 7);
        for (String folder : List.of("qwen3", "llama3", "deepseek_v3", "gemma3", "mistral_spm", "bert_minilm")) {
            run(folder + "/tokenizer.json", () -> TokenizerJson.load(TokenizerTestData.shared("tokenizers/" + folder)),
                    texts, bytes, seconds, line);
        }
        run("qwen3-real-vocab.gguf", () -> TokenizerTestData.fromGguf("golden/tokenizer/qwen3-real-vocab.gguf"),
                texts, bytes, seconds, line);
        run("ggml-vocab-llama-spm.gguf", () -> TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-llama-spm.gguf"),
                texts, bytes, seconds, line);
    }

    private static void run(String name, Supplier<Tokenizer> load, List<String> texts, long bytes, double seconds,
                            String line) {
        Tokenizer tok = load.get();
        long deadline = System.nanoTime() + (long) (seconds * 1e9 / 2);
        while (System.nanoTime() < deadline) {
            encodeAll(tok, texts); // warm-up: JIT and cache
        }
        long start = System.nanoTime();
        long passes = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            encodeAll(tok, texts);
            passes++;
        }
        double warm = bytes * passes / 1e6 / ((System.nanoTime() - start) / 1e9);
        Tokenizer fresh = load.get();
        start = System.nanoTime();
        encodeAll(fresh, texts);
        double cold = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        fresh.encode(line, false, true);
        double big = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-32s %12.1f %12.1f %9.2fs%n", name, warm, cold, big);
    }

    private static void encodeAll(Tokenizer tok, List<String> texts) {
        for (String t : texts) {
            tok.encode(t, false, true);
        }
    }
}
