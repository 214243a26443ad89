package dev.nabd.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web chat page and its assets, served from the jar ({@code dev/nabd/server/web/}): no build step at
 * run time and nothing fetched from elsewhere. Only flat file names of known types are served.
 */
final class StaticFiles {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    private StaticFiles() {
    }

    /** Whether {@code path} names a file this class serves (it may still be missing: a 404 then). */
    static boolean handles(String path) {
        return path.equals("/") || NAME.matcher(path.substring(1)).matches();
    }

    static void serve(Exchange ex, String path) throws IOException {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        try (InputStream in = StaticFiles.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw ApiException.notFound("no such file: " + path, "not_found");
            }
            byte[] body = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            ex.respond(200, type, body, Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff"));
        }
    }
}
