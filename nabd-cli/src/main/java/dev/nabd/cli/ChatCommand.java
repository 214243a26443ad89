package dev.nabd.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nabd.Conversation;
import dev.nabd.LanguageModel;
import dev.nabd.engine.Engine;
import dev.nabd.engine.GenerationException;
import dev.nabd.model.ContextOverflowException;
import dev.nabd.sampling.SamplingParams;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code nabd chat}: talk to a model in the terminal. With a terminal: line editing, history kept per
 * model, multi-line input, Ctrl-C to stop an answer, reasoning dimmed. With piped stdin: one message per
 * line, answers on stdout, so it can be scripted.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model in the terminal (type /help inside). Reads one message per line when stdin is not a terminal.")
final class ChatCommand implements Callable<Integer> {
    /** The longest JIT warm-up while the first message is typed. */
    private static final long WARM_UP_BUDGET_NANOS = 60_000_000_000L;

    private static final String HELP = """
            Commands:
              /help                 this help
              /system TEXT          set the system message (no TEXT: remove it)
              /reset                forget the conversation (the system message stays)
              /save FILE            save the conversation as JSON
              /load FILE            load a conversation saved with /save
              /params [k=v ...]     show or set temp, top_k, top_p, min_p, repeat_penalty, max_tokens, seed
              /stats                speed and token counts of the last answer
              /exit                 leave (Ctrl-D too)
            End a line with \\ to continue the message on the next line, or wrap several lines in \"\"\".
            Ctrl-C stops the answer being written.""";
    private static final String DIM = "\u001b[2m";
    private static final String PLAIN = "\u001b[0m";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--system", paramLabel = "TEXT", description = "the system message")
    String system;

    @Option(names = "--hide-thinking", description = "do not show the model's <think> reasoning")
    boolean hideThinking;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "-1",
            description = "most tokens per answer; -1 = until the model stops (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temp", defaultValue = "0.8", description = "temperature (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "top-k, 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "top-p (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "min-p (default: ${DEFAULT-VALUE})")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "repetition penalty (default: ${DEFAULT-VALUE})")
    float repeatPenalty;

    @Option(names = "--seed", description = "random seed (default: a new one each run)")
    Long seed;

    private PrintWriter out;
    private PrintWriter err;
    private Conversation conversation;
    private Conversation.Turn last;
    private boolean terminal;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (seed == null) {
            seed = new SecureRandom().nextLong();
        }
        sampling();   // fail early on bad values
        try (LanguageModel model = modelOptions.load(); Engine engine = model.startEngine(1, 1)) {
            PageIn.run(model.file().mapping(), "loading " + model.file().path().getFileName());
            err.println(model.describe());
            conversation = new Conversation(model, engine);
            conversation.setSystem(system);
            if (conversation.usesFallbackTemplate()) {
                err.println("nabd: the model has no chat template; using ChatML");
            }
            err.flush();
            terminal = System.console() != null && System.console().isTerminal();
            if (terminal) {
                interactive(model);
            } else {
                piped();
            }
        }
        return 0;
    }

    private void piped() throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        MessageReader reader = new MessageReader(prompt -> in.readLine());
        String message;
        while ((message = reader.next()) != null) {
            if (!handle(message)) {
                return;
            }
        }
    }

    private void interactive(LanguageModel model) throws IOException, InterruptedException {
        Path history = Path.of(System.getProperty("user.home"), ".nabd", "history",
                model.file().path().getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_") + ".history");
        Files.createDirectories(history.getParent());
        try (Terminal t = TerminalBuilder.builder().system(true).build()) {
            // A chat line is prose, not a shell command: no quote or backslash parsing (an apostrophe would
            // otherwise wait for its closing quote), no history expansion of '!'. MessageReader does continuations.
            DefaultParser parser = new DefaultParser();
            parser.setQuoteChars(new char[0]);
            parser.setEscapeChars(new char[0]);
            LineReader reader = LineReaderBuilder.builder().terminal(t).parser(parser)
                    .variable(LineReader.HISTORY_FILE, history)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            out = t.writer();
            out.println("nabd chat: type a message, /help for commands, Ctrl-D to leave.");
            // Ctrl-C while an answer is written stops the answer, not the program.
            t.handle(Terminal.Signal.INT, signal -> conversation.stop());
            MessageReader messages = new MessageReader(prompt -> {
                while (true) {
                    try {
                        return reader.readLine(prompt);
                    } catch (UserInterruptException e) {
                        out.println("(Ctrl-D or /exit to leave)");
                    } catch (EndOfFileException e) {
                        return null;
                    }
                }
            });
            // While the first message is typed, the JIT compiles the kernels on throwaway tokens (WarmUp says
            // why), so that the first answer comes at full speed; the message stops it.
            AtomicBoolean typed = new AtomicBoolean();
            Thread warmUp = Thread.ofPlatform().daemon().name("nabd-warm-up").start(() -> {
                try {
                    model.warmUp(WARM_UP_BUDGET_NANOS, typed::get);
                } catch (RuntimeException e) {
                    // Only speed is at stake: the first message runs the same forward pass and reports any error.
                }
            });
            try {
                String message;
                while ((message = messages.next()) != null) {
                    typed.set(true);
                    warmUp.join();
                    if (!handle(message)) {
                        return;
                    }
                }
            } finally {
                typed.set(true);   // leaving before any message: the model closes only after the warm-up ends
                warmUp.join();
            }
        }
    }

    /** Runs one message or command; false to leave. */
    private boolean handle(String message) throws IOException, InterruptedException {
        String text = message.strip();
        if (text.isEmpty()) {
            return true;
        }
        if (text.startsWith("/")) {
            return command(text);
        }
        ThinkingFilter thinking = new ThinkingFilter();
        ThinkingFilter.Sink sink = new ThinkingFilter.Sink() {
            @Override
            public void answer(String s) {
                out.print(s);
                out.flush();
            }

            @Override
            public void thinking(String s) {
                if (!hideThinking) {
                    out.print(terminal ? DIM + s + PLAIN : s);
                    out.flush();
                }
            }
        };
        try {
            last = conversation.send(text, sampling(), maxTokens, piece -> thinking.accept(piece, sink));
            thinking.flush(sink);
            out.println(last.stopped() ? " [stopped]" : "");
            out.flush();
            err.println(String.format(Locale.ROOT, "[%d tokens, %.1f tokens/s, reused %d of %d prompt tokens]",
                    last.usage().completionTokens(), last.generationTokensPerSecond(), last.usage().cachedTokens(),
                    last.usage().promptTokens()));
            err.flush();
        } catch (ContextOverflowException e) {
            out.println();
            err.println("nabd: the conversation no longer fits the context (" + e.getMessage() + "); /reset to start over");
            err.flush();
        } catch (GenerationException | dev.nabd.chat.TemplateException e) {
            out.println();
            err.println("nabd: error: " + e.getMessage());
            err.flush();
        }
        return true;
    }

    private boolean command(String line) throws IOException {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case "/exit", "/quit", "/bye" -> {
                return false;
            }
            case "/help", "/?" -> out.println(HELP);
            case "/system" -> {
                conversation.setSystem(arg.isEmpty() ? null : arg);
                out.println(arg.isEmpty() ? "(system message removed)" : "(system message set)");
            }
            case "/reset", "/clear" -> {
                conversation.reset();
                out.println("(conversation forgotten)");
            }
            case "/save" -> save(arg);
            case "/load" -> load(arg);
            case "/params" -> params(arg);
            case "/stats" -> out.println(last == null ? "(no answer yet)" : String.format(Locale.ROOT,
                    "last answer: %d tokens at %.1f tokens/s; prompt %d tokens, %d reused from the cache; %d turns so far",
                    last.usage().completionTokens(), last.generationTokensPerSecond(), last.usage().promptTokens(),
                    last.usage().cachedTokens(), conversation.messages().size() / 2));
            default -> out.println("unknown command " + parts[0] + "; /help lists them");
        }
        out.flush();
        return true;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private void save(String file) throws IOException {
        if (file.isEmpty()) {
            out.println("usage: /save FILE");
            return;
        }
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("system", conversation.system());
        saved.put("messages", conversation.messages());
        Files.writeString(Path.of(file), JSON.writeValueAsString(saved), StandardCharsets.UTF_8);
        out.println("(saved " + conversation.messages().size() + " messages to " + file + ")");
    }

    private void load(String file) {
        if (file.isEmpty()) {
            out.println("usage: /load FILE");
            return;
        }
        try {
            Map<String, Object> saved = JSON.readValue(Files.readString(Path.of(file), StandardCharsets.UTF_8),
                    new TypeReference<Map<String, Object>>() { });
            Object messages = saved.get("messages");
            if (!(messages instanceof List<?> list) || !list.stream().allMatch(m -> m instanceof Map<?, ?> map
                    && map.get("role") instanceof String && map.get("content") instanceof String)) {
                out.println(file + ": not a saved conversation (expected {\"system\": ..., \"messages\": [{\"role\", \"content\"}, ...]})");
                return;
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> turns = (List<Map<String, Object>>) messages;
            conversation.setMessages(turns);
            conversation.setSystem(saved.get("system") instanceof String s ? s : null);
            out.println("(loaded " + turns.size() + " messages from " + file + ")");
        } catch (IOException e) {
            out.println(file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private void params(String arg) {
        if (!arg.isEmpty()) {
            float t = temperature;
            int k = topK;
            float p = topP;
            float mp = minP;
            float rp = repeatPenalty;
            int n = maxTokens;
            long s = seed;
            try {
                for (String kv : arg.split("\\s+")) {
                    String[] pair = kv.split("=", 2);
                    if (pair.length != 2) {
                        throw new IllegalArgumentException("expected key=value, not '" + kv + "'");
                    }
                    switch (pair[0]) {
                        case "temp", "temperature" -> t = Float.parseFloat(pair[1]);
                        case "top_k" -> k = Integer.parseInt(pair[1]);
                        case "top_p" -> p = Float.parseFloat(pair[1]);
                        case "min_p" -> mp = Float.parseFloat(pair[1]);
                        case "repeat_penalty" -> rp = Float.parseFloat(pair[1]);
                        case "max_tokens" -> n = Integer.parseInt(pair[1]);
                        case "seed" -> s = Long.parseLong(pair[1]);
                        default -> throw new IllegalArgumentException("unknown parameter '" + pair[0] + "'");
                    }
                }
                new SamplingParams(t, k, p, mp, rp, 0f, 0f, 64, s);
                if (n < -1 || n == 0) {
                    throw new IllegalArgumentException("max_tokens must be -1 or positive");
                }
            } catch (IllegalArgumentException e) {
                out.println("not changed: " + e.getMessage());
                return;
            }
            temperature = t;
            topK = k;
            topP = p;
            minP = mp;
            repeatPenalty = rp;
            maxTokens = n;
            seed = s;
        }
        out.println(String.format(Locale.ROOT, "temp=%s top_k=%d top_p=%s min_p=%s repeat_penalty=%s max_tokens=%d seed=%d",
                temperature, topK, topP, minP, repeatPenalty, maxTokens, seed));
    }

    private SamplingParams sampling() {
        try {
            return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 0f, 0f, 64, seed);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }
}
