package dev.nabd.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * One HTTP request and its response, as the endpoints see them. This is the seam between the API and
 * the HTTP server library: {@link JdkExchange} adapts the JDK's server, and another server could be put
 * behind the same few methods.
 */
interface Exchange {

    String method();

    /** The path without the query string. */
    String path();

    /** A request header, or null. */
    String header(String name);

    /**
     * The request body.
     *
     * @throws ApiException 413 when it is longer than {@code limit} bytes
     */
    byte[] body(int limit) throws IOException;

    /** Sends a whole response. */
    void respond(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException;

    /** Starts a streamed (chunked) response; each flush of the stream goes out as it is written. */
    OutputStream stream(int status, String contentType) throws IOException;
}
