package dev.nabd.cli;

import dev.nabd.LanguageModel;
import dev.nabd.engine.Generator;
import dev.nabd.sampling.SamplingParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nabd run}: generate a continuation of a prompt, streamed to stdout, timings on stderr. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt. The text streams to stdout; the start-up line and timings go to stderr.")
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PromptSource prompt;

    static final class PromptSource {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "the prompt")
        String text;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the prompt from a UTF-8 file")
        Path file;
    }

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "-1",
            description = "tokens to generate; -1 = until the model stops or the context is full (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temp", paramLabel = "T", defaultValue = "0.8", description = "temperature; 0 = greedy (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "top-k, 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "top-p, 1 = off (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "min-p, 0 = off (default: ${DEFAULT-VALUE})")
    float minP;

    @Option(names = "--repeat-penalty", paramLabel = "X", defaultValue = "1.0", description = "repetition penalty, 1 = off (default: ${DEFAULT-VALUE})")
    float repeatPenalty;

    @Option(names = "--presence-penalty", paramLabel = "X", defaultValue = "0", description = "presence penalty (default: ${DEFAULT-VALUE})")
    float presencePenalty;

    @Option(names = "--frequency-penalty", paramLabel = "X", defaultValue = "0", description = "frequency penalty (default: ${DEFAULT-VALUE})")
    float frequencyPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64", description = "tokens the penalties look back over (default: ${DEFAULT-VALUE})")
    int repeatLastN;

    @Option(names = {"-s", "--seed"}, paramLabel = "S", defaultValue = "-1", description = "random seed; -1 = a new one each run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--echo", description = "print the prompt before the generated text")
    boolean echo;

    @Override
    public Integer call() throws IOException {
        String text = promptText();
        long actualSeed = seed == -1 ? System.nanoTime() : seed;
        SamplingParams params;
        try {
            params = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, presencePenalty,
                    frequencyPenalty, repeatLastN, actualSeed);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LanguageModel model = modelOptions.load()) {
            err.println(model.describe());
            if (echo) {
                out.print(text);
                out.flush();
            }
            Generator.Result r = model.generate(text, maxTokens, params, s -> {
                out.print(s);
                out.flush();
            });
            out.println();
            var t = r.timings();
            err.printf(Locale.ROOT, "load: %.0f ms | prompt: %d tokens, %.1f tokens/s | generation: %d tokens, %.1f tokens/s | stop: %s | seed: %d%n",
                    model.loadNanos() / 1e6, t.promptTokens(), t.promptTokensPerSecond(), t.generatedTokens(),
                    t.generationTokensPerSecond(), r.finishReason().wireName(), actualSeed);
        }
        return 0;
    }

    private String promptText() throws IOException {
        if (prompt == null) {
            throw new UserInputException("give a prompt with -p TEXT or -f FILE");
        }
        if (prompt.file != null) {
            if (!Files.isRegularFile(prompt.file)) {
                throw new UserInputException(prompt.file + ": no such file");
            }
            return Files.readString(prompt.file, StandardCharsets.UTF_8);
        }
        return prompt.text;
    }
}
