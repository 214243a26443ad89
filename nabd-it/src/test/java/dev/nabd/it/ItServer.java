package dev.nabd.it;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.server.OpenAiServer;
import dev.nabd.server.ServerOptions;
import dev.nabd.tensor.GgmlType;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process nabd server on a free loopback port serving the bundled model (stories260K: English
 * children's stories, no chat template, so chat prompts use the ChatML fallback).
 */
final class ItServer implements AutoCloseable {
    /** The id clients name the model by: the file name without {@code .gguf}. */
    static final String MODEL = "stories260K";

    private final OpenAiServer server;

    private ItServer(OpenAiServer server) {
        this.server = server;
    }

    /** A server with the model loaded; {@code apiKey} null means no key is asked for. */
    static ItServer start(String apiKey) throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withParallel(4, 16);
        if (apiKey != null) {
            options = options.withApiKey(apiKey);
        }
        Path model = projectRoot().resolve("models").resolve(MODEL + ".gguf");
        OpenAiServer s = OpenAiServer.start(options, () -> LanguageModel.load(model, new LoadOptions(0, 2, 64, GgmlType.F16)), MODEL);
        String failure = s.awaitLoaded();
        if (failure != null) {
            s.close();
            throw new IllegalStateException("the bundled model did not load: " + failure);
        }
        return new ItServer(s);
    }

    /** The reactor root: surefire passes it, else the nearest folder above with {@code .ci}. */
    static Path projectRoot() {
        String prop = System.getProperty("nabd.projectRoot");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve(".ci"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    int port() {
        return server.port();
    }

    /** What OpenAI clients take as their base URL: {@code http://127.0.0.1:PORT/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    public void close() {
        server.close();
    }
}
