package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.nabd.LanguageModel;
import dev.nabd.chat.ModelChatTemplate;
import dev.nabd.engine.Engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An OpenAI-compatible HTTP server over one model's {@link Engine}: a thin layer that parses requests,
 * builds prompts with the chat template, and turns engine events into responses. The JDK's HTTP server
 * runs every exchange on a virtual thread; the model loads in the background while {@code /health}
 * answers 503.
 */
public final class OpenAiServer implements AutoCloseable {
    static final String FINGERPRINT = "nabd-0.1.0";
    private static final Logger LOG = Logger.getLogger(OpenAiServer.class.getName());
    private static final SecureRandom IDS = new SecureRandom();

    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService executor;
    private final ServerMetrics metrics = new ServerMetrics();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile ServedModel model;
    private volatile String loadError;

    private OpenAiServer(ServerOptions options, HttpServer http, ExecutorService executor) {
        this.options = options;
        this.http = http;
        this.executor = executor;
    }

    /**
     * Binds the port, starts answering, and loads the model in the background.
     *
     * @param loader opens the model (called once, on a background thread)
     * @param name the model's id when {@link ServerOptions#modelAlias()} is null
     * @throws IOException when the address cannot be bound
     */
    public static OpenAiServer start(ServerOptions options, Callable<LanguageModel> loader, String name) throws IOException {
        // Without this the JDK server waits for Nagle's algorithm on every small SSE write (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        OpenAiServer server = new OpenAiServer(options, http, executor);
        http.createContext("/", ex -> server.dispatch(new JdkExchange(ex)));
        http.start();
        Thread.ofPlatform().name("nabd-model-loader").daemon().start(() -> server.load(loader, name));
        return server;
    }

    private void load(Callable<LanguageModel> loader, String name) {
        try {
            LanguageModel m = loader.call();
            ModelChatTemplate template = ModelChatTemplate.fromGguf(m.file().metadata());
            if (template.fallback()) {
                LOG.warning("the model has no chat template; chat prompts use ChatML (<|im_start|>role ... <|im_end|>)");
            }
            Engine engine = m.startEngine(options.parallel(), options.maxQueue());
            String id = options.modelAlias() != null ? options.modelAlias() : name;
            model = new ServedModel(id, System.currentTimeMillis() / 1000, m, engine, template);
        } catch (Exception | OutOfMemoryError e) {
            loadError = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.log(Level.SEVERE, "the model could not be loaded: " + loadError);
        } finally {
            loaded.countDown();
        }
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Waits for the model to load.
     *
     * @return null when it is ready, else why it failed
     */
    public String awaitLoaded() throws InterruptedException {
        loaded.await();
        return loadError;
    }

    /** Stops listening, then stops the engine and closes the model. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        ServedModel m = model;
        if (m != null) {
            m.engine().close();
            m.model().close();
        }
    }

    private void dispatch(Exchange ex) {
        String path = ex.path();
        String route = routeName(path);
        int status = 200;
        try {
            status = route(ex, path);
        } catch (ApiException e) {
            status = e.status;
            respondQuietly(ex, e);
        } catch (IOException e) {
            status = 499;   // the client closed the connection (nginx's code for it)
            LOG.fine(() -> "client went away: " + e);
        } catch (InterruptedException e) {
            status = 503;
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            status = 500;
            LOG.log(Level.SEVERE, "internal error on " + ex.method() + " " + path, e);
            respondQuietly(ex, new ApiException(500, "internal error: " + e, "server_error", null, null, Map.of()));
        } finally {
            metrics.count(route, status);
        }
    }

    private static void respondQuietly(Exchange ex, ApiException e) {
        try {
            ex.respond(e.status, Json.TYPE, Json.bytes(Json.error(e)), e.headers);
        } catch (IOException | RuntimeException ignored) {
            // The response had already started, or the client is gone: nothing more can be said.
        }
    }

    /** Routes and answers one request; returns the status sent. */
    private int route(Exchange ex, String path) throws IOException, InterruptedException {
        switch (path) {
            case "/health" -> {
                allow(ex, "GET");
                ServedModel m = model;
                ObjectNode body = Json.object();
                if (m != null) {
                    body.put("status", "ok");
                    Json.send(ex, 200, body);
                    return 200;
                }
                body.put("status", loadError == null ? "loading model" : "error");
                if (loadError != null) {
                    body.put("error", loadError);
                }
                ex.respond(503, Json.TYPE, Json.bytes(body), Map.of("Retry-After", "1"));
                return 503;
            }
            case "/metrics" -> {
                allow(ex, "GET");
                ServedModel m = model;
                byte[] text = metrics.render(m == null ? null : m.engine().metrics()).getBytes(StandardCharsets.UTF_8);
                ex.respond(200, "text/plain; version=0.0.4; charset=utf-8", text, Map.of());
                return 200;
            }
            default -> {
            }
        }
        if (!isApi(path) && StaticFiles.handles(path)) {
            allow(ex, "GET");
            StaticFiles.serve(ex, path);
            return 200;
        }
        if (!isApi(path)) {
            throw ApiException.notFound("no such route: " + ex.method() + " " + path, "not_found");
        }
        authorize(ex);
        ServedModel m = model;
        if (m == null) {
            throw ApiException.loading();
        }
        if (path.equals("/v1/models")) {
            allow(ex, "GET");
            ObjectNode body = Json.object();
            body.put("object", "list");
            body.putArray("data").add(modelCard(m));
            Json.send(ex, 200, body);
            return 200;
        }
        if (path.startsWith("/v1/models/")) {
            allow(ex, "GET");
            String id = path.substring("/v1/models/".length());
            if (!id.equals(m.id())) {
                throw ApiException.notFound("The model '" + id + "' does not exist; this server serves '" + m.id() + "'", "model_not_found");
            }
            Json.send(ex, 200, modelCard(m));
            return 200;
        }
        allow(ex, "POST");
        JsonNode body = Json.parse(ex.body(options.maxBodyBytes()));
        switch (path) {
            case "/v1/chat/completions" -> ChatCompletionsEndpoint.handle(ex, m, body);
            case "/v1/completions" -> CompletionsEndpoint.handle(ex, m, body);
            case "/tokenize" -> TokenizeEndpoints.tokenize(ex, m, body);
            case "/detokenize" -> TokenizeEndpoints.detokenize(ex, m, body);
            default -> throw new IllegalStateException(path);
        }
        return 200;
    }

    private static boolean isApi(String path) {
        return path.equals("/v1/models") || path.startsWith("/v1/models/") || path.equals("/v1/chat/completions")
                || path.equals("/v1/completions") || path.equals("/tokenize") || path.equals("/detokenize");
    }

    /** The route label for metrics: fixed strings only, so clients cannot create label values. */
    private static String routeName(String path) {
        if (path.startsWith("/v1/models/")) {
            return "/v1/models/{id}";
        }
        if (isApi(path) || path.equals("/health") || path.equals("/metrics")) {
            return path;
        }
        return StaticFiles.handles(path) ? "static" : "other";
    }

    private static void allow(Exchange ex, String method) {
        if (!ex.method().equals(method)) {
            throw ApiException.methodNotAllowed(ex.method(), ex.path());
        }
    }

    private void authorize(Exchange ex) {
        if (options.apiKey() == null) {
            return;
        }
        String header = ex.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        // Constant-time comparison: the time taken says nothing about how much of the key matched.
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), options.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized();
        }
    }

    private static ObjectNode modelCard(ServedModel m) {
        ObjectNode card = Json.object();
        card.put("id", m.id());
        card.put("object", "model");
        card.put("created", m.created());
        card.put("owned_by", "nabd");
        ObjectNode meta = card.putObject("meta");
        meta.put("architecture", m.model().config().architecture().name());
        meta.put("context_length", m.model().contextLength());
        meta.put("vocab_size", m.model().config().vocabSize());
        meta.put("parameters", m.model().weights().parameterCount());
        return card;
    }

    /** A 404 when the request names a model other than the one served. */
    static void checkModel(Fields f, ServedModel m) {
        String requested = f.string("model", null);
        if (requested != null && !requested.equals(m.id())) {
            throw ApiException.notFound("The model '" + requested + "' does not exist; this server serves '" + m.id() + "'",
                    "model_not_found");
        }
    }

    static String newId(String prefix) {
        byte[] b = new byte[12];
        IDS.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
