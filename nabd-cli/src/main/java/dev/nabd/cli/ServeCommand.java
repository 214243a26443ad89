package dev.nabd.cli;

import dev.nabd.LanguageModel;
import dev.nabd.server.OpenAiServer;
import dev.nabd.server.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nabd serve}: an OpenAI-compatible HTTP server with continuous batching. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, "
                + "/v1/models, /tokenize, /detokenize, /health, /metrics).")
final class ServeCommand implements Callable<Integer> {
    /** The longest JIT warm-up before the server takes requests (it ends sooner when the JIT is done). */
    private static final long WARM_UP_BUDGET_NANOS = 60_000_000_000L;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", defaultValue = "4",
            description = "sequences decoded together, each with the whole context (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "64",
            description = "requests that may wait for a free sequence; more are answered 429 (default: ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' on the API")
    String apiKey;

    @Option(names = "--model-alias", paramLabel = "NAME", description = "the model id clients use (default: the file name)")
    String alias;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "8388608",
            description = "largest request body accepted (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1 || maxQueue < 0 || maxBody < 1 || port < 0 || port > 65535) {
            throw new UserInputException("--parallel must be at least 1, --max-queue and --max-body positive, --port 0 to 65535");
        }
        Path path = modelOptions.model != null ? modelOptions.model : ModelOptions.bundledModel();
        if (!Files.isRegularFile(path)) {
            throw new UserInputException(path + ": no such file");
        }
        String name = path.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        ServerOptions options = new ServerOptions(host, port, apiKey, alias, parallel, maxQueue, maxBody);
        PrintWriter err = spec.commandLine().getErr();
        LanguageModel[] loaded = new LanguageModel[1];
        long[] warmUpNanos = new long[1];
        OpenAiServer server;
        try {
            server = OpenAiServer.start(options, () -> {
                LanguageModel m = modelOptions.load();
                PageIn.run(m.file().mapping(), "loading " + path.getFileName());
                // Before the first request, so that it runs compiled kernels (WarmUp says why). Only speed is
                // at stake: a failure is reported and the server starts (its requests will meet the error).
                try {
                    warmUpNanos[0] = m.warmUp(WARM_UP_BUDGET_NANOS);
                } catch (RuntimeException e) {
                    err.println("nabd: the JIT warm-up failed: " + e);
                }
                return loaded[0] = m;
            }, name);
        } catch (BindException e) {
            throw new UserInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserInputException("cannot start the server on " + host + ":" + port + ": " + e.getMessage());
        }
        err.println("nabd: listening on http://" + host + ":" + server.port() + " (loading " + path + ")");
        err.flush();
        String failure = server.awaitLoaded();
        if (failure != null) {
            server.close();
            throw new UserInputException(failure);
        }
        err.println(loaded[0].describe());
        err.println("nabd: ready: model '" + (alias != null ? alias : name) + "', " + parallel + " parallel sequences"
                + String.format(Locale.ROOT, " (JIT warm-up %.1f s)", warmUpNanos[0] / 1e9));
        err.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
