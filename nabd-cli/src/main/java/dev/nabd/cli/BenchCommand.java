package dev.nabd.cli;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.engine.Benchmark;
import dev.nabd.model.FileType;
import dev.nabd.model.ModelPreset;
import dev.nabd.tensor.GgmlType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code nabd bench}: prompt-processing and generation speed in llama-bench's format, on model files or
 * on random-weight stand-ins of well-known models written on the spot.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prompt (ppN) and generation (tgN) speed, printed as llama-bench prints it, after"
                + " the load-time JIT warm-up a server runs before its first request.",
        footer = {"", "Examples:",
                "  nabd bench -m model.gguf -p 128 -n 64 -t 1,2",
                "  nabd bench -m model.gguf -p 512 -n 128 -d 0,4096                    (the same tests after 4096 positions of context)",
                "  nabd bench --preset qwen2.5-0.5b --type Q4_K_M,Q8_0 -r 3",
                "  nabd bench --preset llama3.2-1b --type Q4_0 --save llama1b-q4_0.gguf   (keep the file for another engine)",
                "  nabd bench --preset list                                            (the presets and their shapes)"})
final class BenchCommand implements Callable<Integer> {
    /** At most this long for each model's load-time warm-up (it ends sooner, once the JIT is quiet). */
    private static final long WARM_UP_BUDGET_NANOS = 60_000_000_000L;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", split = ",", description = "GGUF model file(s)")
    List<Path> models = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", split = ",", description = "random-weight model(s) with the shapes of NAME")
    List<String> presets = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",", defaultValue = "Q4_K_M",
            description = "file type(s) of the preset models: F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K_M, Q4_K_S, Q4_K_M, Q5_K_S, Q5_K_M, Q6_K (default: ${DEFAULT-VALUE})")
    List<String> types;

    @Option(names = "--save", paramLabel = "FILE", description = "keep the preset model written (one preset and type only)")
    Path save;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", split = ",", defaultValue = "512", description = "prompt sizes (default: ${DEFAULT-VALUE}; 0 = none)")
    List<Integer> promptSizes;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", split = ",", defaultValue = "128", description = "generation lengths (default: ${DEFAULT-VALUE}; 0 = none)")
    List<Integer> genSizes;

    @Option(names = {"-d", "--n-depth"}, paramLabel = "N", split = ",", defaultValue = "0",
            description = "context depths: each test runs after N positions of context (default: ${DEFAULT-VALUE})")
    List<Integer> depths;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", split = ",", description = "thread counts (default: one per physical core)")
    List<Integer> threads;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5", description = "repetitions per test (default: ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--float-activations",
            description = "multiply every weight, dequantised, with float activations (exact; slower)")
    boolean floatActivations;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "md", description = "md, csv or json (default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (presets.equals(List.of("list"))) {
            for (ModelPreset p : ModelPreset.ALL) {
                out.printf(Locale.ROOT, "%-30s %-6s dim %5d  layers %3d  heads %3d/%-2d  head %3d  ffn %6d  vocab %6d%s%n",
                        p.name(), p.architecture().name(), p.dim(), p.layers(), p.heads(), p.kvHeads(), p.headDim(), p.ffnDim(),
                        p.vocabSize(), p.tiedEmbeddings() ? "  tied" : "");
            }
            return 0;
        }
        validate();
        PrintWriter err = spec.commandLine().getErr();
        List<Integer> threadCounts = threads == null ? List.of(dev.nabd.kernel.CpuInfo.physicalCores()) : threads;
        // The longest test name, e.g. "pp512 @ d4096", sets the width of the Markdown test column.
        String longestTest = "pp" + Math.max(largest(promptSizes), largest(genSizes)) + (largest(depths) > 0 ? " @ d" + largest(depths) : "");
        ResultPrinter printer = new ResultPrinter(out, format, Math.max(6, longestTest.length()));
        printer.header();
        for (Path file : models) {
            run(file, threadCounts, printer, null);
        }
        for (String name : presets) {
            ModelPreset preset = ModelPreset.byName(name);
            for (String typeName : types) {
                FileType type = FileType.byName(typeName);
                Path file = save != null ? save : Files.createTempFile("nabd-bench-" + preset.name() + "-", ".gguf");
                try {
                    err.printf(Locale.ROOT, "writing a random %s %s to %s...%n", preset.name(), type.label(), file);
                    err.flush();
                    preset.synthetic(type, 42).write(file);
                    run(file, threadCounts, printer, preset.name() + " " + type.label());
                } finally {
                    if (save == null) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
        printer.footer();
        return 0;
    }

    private void run(Path file, List<Integer> threadCounts, ResultPrinter printer, String label) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": no such file");
        }
        int longest = Math.max(largest(promptSizes), largest(genSizes));
        // Each test runs in a session of its own: the longest test after the deepest context.
        long needed = Math.max(1, longest) + (long) largest(depths);
        if (needed > Integer.MAX_VALUE) {
            throw new UserInputException("a test of " + longest + " tokens at depth " + largest(depths) + " is too long");
        }
        int context = (int) needed;
        // The depth's context is a prompt too: batches as large as the longest prompt or depth, up to 512.
        int batch = Math.max(1, Math.min(512, Math.max(largest(promptSizes), largest(depths))));
        for (int t : threadCounts) {
            try (LanguageModel m = LanguageModel.load(file, new LoadOptions(context, t, batch, GgmlType.F16, !floatActivations))) {
                spec.commandLine().getErr().println(m.describe());
                // The load-time warm-up a server runs before its first request, so the tests measure C2's code
                // rather than C1's (Benchmark's one unmeasured run per test left rarely run kernels to C1).
                long warmUp = m.warmUp(WARM_UP_BUDGET_NANOS);
                spec.commandLine().getErr().printf(Locale.ROOT, "nabd: JIT warm-up %.1f s%n", warmUp / 1e9);
                Benchmark bench = new Benchmark(m);
                String name = label != null ? label : m.config().architecture().name() + " " + fileTypeLabel(m);
                for (int p : promptSizes) {
                    for (int d : depths) {
                        if (p > 0) {
                            printer.row(name, m, t, bench.prompt(p, repetitions, d));
                        }
                    }
                }
                for (int n : genSizes) {
                    for (int d : depths) {
                        if (n > 0) {
                            printer.row(name, m, t, bench.generation(n, repetitions, d));
                        }
                    }
                }
            }
        }
    }

    /** The largest of the values given (0 for none). */
    private static int largest(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The file type as llama.cpp names it, or when the file does not say, the type most matrices have. */
    private static String fileTypeLabel(LanguageModel m) {
        FileType f = FileType.byId(m.file().metadata().getInt("general.file_type", -1));
        if (f != null) {
            return f.label();
        }
        return m.file().tensors().stream().filter(t -> t.shape().length == 2)
                .collect(Collectors.groupingBy(t -> t.type().name(), Collectors.counting()))
                .entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse("?");
    }

    private void validate() {
        if (models.isEmpty() && presets.isEmpty()) {
            throw new UserInputException("give a model with -m FILE or a preset with --preset NAME (presets: " + presetNames() + ")");
        }
        for (String p : presets) {
            if (ModelPreset.byName(p) == null) {
                throw new UserInputException("unknown preset '" + p + "' (presets: " + presetNames() + ")");
            }
        }
        for (String t : types) {
            if (FileType.byName(t) == null) {
                throw new UserInputException("unknown type '" + t + "'");
            }
        }
        if (save != null && (presets.size() != 1 || types.size() != 1)) {
            throw new UserInputException("--save keeps one model: give one preset and one type");
        }
        if (repetitions < 1 || promptSizes.stream().anyMatch(p -> p < 0) || genSizes.stream().anyMatch(n -> n < 0)
                || depths.stream().anyMatch(d -> d < 0) || (threads != null && threads.stream().anyMatch(t -> t < 1))) {
            throw new UserInputException("-r and -t must be positive, -p, -n and -d not negative");
        }
        if (!List.of("md", "csv", "json").contains(format)) {
            throw new UserInputException("-o must be md, csv or json, not " + format);
        }
    }

    static String presetNames() {
        return ModelPreset.ALL.stream().map(ModelPreset::name).collect(Collectors.joining(", "));
    }

    /** Prints result rows as a Markdown table, CSV or a JSON array. */
    private static final class ResultPrinter {
        private final PrintWriter out;
        private final String format;
        private final int testWidth;   // Markdown: the test column fits "pp512 @ d4096"
        private boolean first = true;

        ResultPrinter(PrintWriter out, String format, int testWidth) {
            this.out = out;
            this.format = format;
            this.testWidth = testWidth;
        }

        void header() {
            switch (format) {
                case "md" -> {
                    out.printf("| %-28s | %10s | %10s | %7s | %" + testWidth + "s | %20s |%n", "model", "size", "params", "threads", "test", "t/s");
                    out.printf("| %s | %s: | %s: | %s: | %s: | %s: |%n", "-".repeat(28), "-".repeat(9), "-".repeat(9), "-".repeat(6), "-".repeat(testWidth - 1), "-".repeat(19));
                }
                case "csv" -> out.println("model,size_bytes,params,threads,test,avg_ts,stddev_ts");
                default -> out.println("[");
            }
            out.flush();
        }

        void row(String model, LanguageModel m, int threads, Benchmark.Result r) {
            long bytes = m.file().tensors().stream().mapToLong(t -> t.byteSize()).sum();
            long params = m.weights().parameterCount();
            switch (format) {
                case "md" -> out.printf(Locale.ROOT, "| %-28s | %6.2f MiB | %8.2f M | %7d | %" + testWidth + "s | %11.2f ± %6.2f |%n",
                        model, bytes / 1048576.0, params / 1e6, threads, r.test(), r.mean(), r.stddev());
                case "csv" -> out.printf(Locale.ROOT, "\"%s\",%d,%d,%d,%s,%.3f,%.3f%n", model, bytes, params, threads, r.test(), r.mean(), r.stddev());
                default -> {
                    out.printf(Locale.ROOT, "%s  {\"model\": \"%s\", \"size_bytes\": %d, \"params\": %d, \"threads\": %d, \"test\": \"%s\", \"avg_ts\": %.3f, \"stddev_ts\": %.3f}",
                            first ? "" : ",\n", model, bytes, params, threads, r.test(), r.mean(), r.stddev());
                    first = false;
                }
            }
            out.flush();
        }

        void footer() {
            if (format.equals("json")) {
                out.println(first ? "]" : "\n]");
            }
            out.flush();
        }
    }
}
