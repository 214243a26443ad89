package dev.nabd.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** {@link Exchange} over the JDK's {@code com.sun.net.httpserver}. */
final class JdkExchange implements Exchange {
    private final HttpExchange ex;

    JdkExchange(HttpExchange ex) {
        this.ex = ex;
    }

    @Override
    public String method() {
        return ex.getRequestMethod();
    }

    @Override
    public String path() {
        return ex.getRequestURI().getPath();
    }

    @Override
    public String header(String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    @Override
    public byte[] body(int limit) throws IOException {
        String declared = header("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    throw ApiException.tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.invalid("the Content-Length header is not a number", null);
            }
        }
        // Read at most limit + 1 bytes, so a body without a Content-Length cannot exhaust memory either.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        InputStream in = ex.getRequestBody();
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > limit) {
                throw ApiException.tooLarge(limit);
            }
        }
        return out.toByteArray();
    }

    @Override
    public void respond(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public OutputStream stream(int status, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(status, 0);
        return ex.getResponseBody();
    }
}
