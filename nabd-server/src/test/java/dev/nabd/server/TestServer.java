package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** A server on a free loopback port and a plain HTTP client for it. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final OpenAiServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String apiKey;

    /** A response: status, headers and body. */
    record Reply(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String body() {
            return raw.body();
        }
    }

    private TestServer(OpenAiServer server) {
        this.server = server;
    }

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

    static Path stories() {
        return projectRoot().resolve("models/stories260K.gguf");
    }

    /** The bundled model, ready. */
    static TestServer stories(ServerOptions options) throws Exception {
        return start(options, () -> LanguageModel.load(stories(), new LoadOptions(0, 2, 64, GgmlType.F16)), "stories260K");
    }

    static TestServer start(ServerOptions options, Callable<LanguageModel> loader, String name) throws Exception {
        TestServer t = new TestServer(OpenAiServer.start(options.withPort(0), loader, name));
        String failure = t.server.awaitLoaded();
        if (failure != null) {
            t.close();
            throw new IllegalStateException(failure);
        }
        return t;
    }

    static TestServer startLoading(ServerOptions options, Callable<LanguageModel> loader) throws IOException {
        return new TestServer(OpenAiServer.start(options.withPort(0), loader, "m"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return new Reply(client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        HttpRequest r = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return new Reply(client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    Reply post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, JSON.writeValueAsString(body));
    }

    /** The {@code data:} payloads of an SSE response, in order (including {@code [DONE]}). */
    List<String> stream(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest r = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> resp = client.send(r, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            throw new AssertionError("status " + resp.statusCode() + ": " + new String(resp.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        return events;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
