package dev.nabd.server;

/**
 * How {@link OpenAiServer} listens and what it serves.
 *
 * @param host address to bind (loopback by default: exposing a model is a decision)
 * @param port TCP port; 0 picks a free one
 * @param apiKey when not null, every API request must carry {@code Authorization: Bearer apiKey}
 * @param modelAlias the model id clients use; null means the model file's name
 * @param parallel sequences decoded together
 * @param maxQueue requests that may wait beyond those; more get 429
 * @param maxBodyBytes largest request body; larger ones get 413
 */
public record ServerOptions(String host, int port, String apiKey, String modelAlias, int parallel, int maxQueue,
                            int maxBodyBytes) {

    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 8080, null, null, 4, 64, 8 << 20);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, apiKey, modelAlias, parallel, maxQueue, maxBodyBytes);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, key, modelAlias, parallel, maxQueue, maxBodyBytes);
    }

    public ServerOptions withParallel(int n, int queue) {
        return new ServerOptions(host, port, apiKey, modelAlias, n, queue, maxBodyBytes);
    }
}
