package dev.nabd.cli;

import dev.nabd.LanguageModel;
import dev.nabd.model.InferenceState;
import dev.nabd.model.Transformer;
import dev.nabd.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabd logits}: the logits at every position of a token sequence, evaluated as one prompt, so that
 * nabd can be checked against another engine on the same file.
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Write the logits at every position as float32 little-endian, row-major [n_tokens x n_vocab], or print the top tokens.")
final class LogitsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    private static final int ROWS_PER_PASS = 32;

    @Mixin
    ModelOptions modelOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--tokens", paramLabel = "IDS", split = ",", description = "token ids, comma-separated")
        int[] tokens;

        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "text to tokenise (with BOS as the model asks)")
        String text;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the logits")
    Path output;

    @Option(names = "--top", paramLabel = "K", description = "print the K most likely tokens per position instead")
    int top;

    @Override
    public Integer call() throws IOException {
        if (output == null && top <= 0) {
            throw new UserInputException("give -o FILE to write the logits or --top K to print them");
        }
        PrintWriter err = spec.commandLine().getErr();
        try (LanguageModel model = modelOptions.load()) {
            err.println(model.describe());
            Tokenizer tok = model.tokenizer();
            int[] ids = input.tokens != null ? input.tokens : tok.encode(input.text, true, true);
            int vocab = model.config().vocabSize();
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new UserInputException("token id " + id + " is outside the vocabulary (0 to " + (vocab - 1) + ")");
                }
            }
            if (ids.length == 0) {
                throw new UserInputException("no tokens to evaluate");
            }
            if (ids.length > model.contextLength()) {
                throw new UserInputException(ids.length + " tokens do not fit the context of " + model.contextLength() + " (use -c)");
            }
            Transformer t = model.transformer();
            int batch = Math.min(ROWS_PER_PASS, model.maxBatch());
            InferenceState state = t.newState(model.contextLength(), batch, batch);
            PrintWriter text = spec.commandLine().getOut();
            try (OutputStream out = output == null ? OutputStream.nullOutputStream()
                    : new BufferedOutputStream(Files.newOutputStream(output), 1 << 20)) {
                ByteBuffer row = ByteBuffer.allocate(vocab * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int off = 0; off < ids.length; off += batch) {
                    int n = Math.min(batch, ids.length - off);
                    t.forward(state, ids, off, n, off, n);
                    float[] logits = state.logits();
                    for (int r = 0; r < n; r++) {
                        if (output != null) {
                            row.clear();
                            row.asFloatBuffer().put(logits, r * vocab, vocab);
                            out.write(row.array());
                        }
                        if (top > 0) {
                            text.println(topLine(tok, off + r, ids[off + r], logits, r * vocab, vocab));
                        }
                    }
                }
            }
            if (output != null) {
                err.printf(Locale.ROOT, "wrote %d x %d logits to %s%n", ids.length, vocab, output);
            }
        }
        return 0;
    }

    private String topLine(Tokenizer tok, int position, int id, float[] logits, int off, int vocab) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[off + b], logits[off + a]));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%4d %6d %-14s ->", position, id, show(tok.tokenText(id))));
        for (int i = 0; i < Math.min(top, vocab); i++) {
            int t = order[i];
            sb.append(String.format(Locale.ROOT, "  %d %s %.4f", t, show(tok.tokenText(t)), logits[off + t]));
        }
        return sb.toString();
    }

    private static String show(String s) {
        return '\'' + s.replace("\n", "\\n") + '\'';
    }
}
